/**
 * A server log's rest (what the vLLM log parser leaves for the other text formats) is mostly
 * newlines standing in for access and metric lines. Every text format's claim is tried on it, so a
 * claim must read it in one pass: a line-anchored pattern whose `\s*` may run across lines
 * (`/^\s*GPU: \d+/m`) backtracks over every following newline from every line start, minutes on
 * such a text, where a line-local one (`/^[ \t]*GPU: \d+/m`) takes a millisecond.
 */
import { describe, expect, it } from 'vitest';
import { TEXT_FORMATS } from '../../src/parse/registry.js';

describe('text format claims on the rest of a large server log', () => {
  // The words the claims look for, on lines that do not make them true, then 200,000 newlines and
  // a last line: every line-start attempt inside the run reaches its end before it can fail.
  const rest = ['GPU: 0 of 8', 'Benchmarks Stats: none', 'Request Latency Statistics follow', '= PERFORMANCE OVERVIEW of none', 'Request concurrency: none', 'GPU[0] has', 'p50 = 1'].join('\n') + '\n'.repeat(200_000) + 'end';

  it.each(TEXT_FORMATS.map((f) => [f.id, f] as const))('%s claims none of it, in one pass over it', (_id, format) => {
    expect(format.claims(rest)).toBe(false);
  });
});
