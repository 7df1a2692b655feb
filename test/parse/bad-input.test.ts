import { describe, expect, it } from 'vitest';
import { parseContent } from '../../src/parse/index.js';
import { parseString } from '../helpers/files.js';

const GOOD = {
  model: 'm',
  concurrency: 4,
  requests: 8,
  max_tokens: 16,
  ok: 8,
  errors: 0,
  total_time_s: 4,
  qps: 2,
  latency_s: { p50: 1.5, p95: 1.9, mean: 1.6, min: 1, max: 2 },
  ttft_s: { p50: null, p95: null, mean: null, min: null, max: null },
  token_usage: { prompt_tokens_mean: 10, completion_tokens_mean: 16 },
  derived: { prompt_tps: 20, decode_tps: 32, ms_per_output_token: 100 },
};

describe('bad input gives a named message, never an exception', () => {
  it('empty file', () => {
    const r = parseContent(new Uint8Array(), 'empty.json');
    expect(r.unrecognised).toBe('empty file');
    expect(r.parsed.messages).toEqual([{ file: 'empty.json', severity: 'error', rule: 'empty-file', text: expect.any(String) }]);
  });
  it('whitespace-only file', () => {
    expect(parseString('  \n\n', 'blank.txt').parsed.messages[0]?.rule).toBe('empty-file');
  });
  it('binary file', () => {
    const bytes = Uint8Array.from({ length: 600 }, (_, i) => (i * 37) % 256);
    const r = parseContent(bytes, 'weights.bin');
    expect(r.unrecognised).toBe('binary file');
    expect(r.parsed.messages[0]).toMatchObject({ file: 'weights.bin', rule: 'binary-file', severity: 'error' });
  });
  it('truncated JSON names the line where it ends', () => {
    const text = JSON.stringify(GOOD, null, 2);
    const r = parseString(text.slice(0, text.length / 2), 'bench_cut.json');
    expect(r.unrecognised).toMatch(/^broken JSON/);
    expect(r.parsed.messages[0]).toMatchObject({ file: 'bench_cut.json', rule: 'json-syntax', severity: 'error' });
    expect(r.parsed.messages[0]?.line).toBe(text.slice(0, text.length / 2).split('\n').length);
  });
  it('a syntax error mid-file names its line', () => {
    const r = parseString('{\n  "ok": 1,\n  "x": ,\n}', 'bad.json');
    expect(r.parsed.messages[0]).toMatchObject({ rule: 'json-syntax', line: 3 });
  });
  it('wrong types become messages with a JSON pointer; other fields still read', () => {
    const r = parseString(JSON.stringify({ ...GOOD, concurrency: '16', latency_s: { ...GOOD.latency_s, mean: 'fast' } }), 'typed.json');
    expect(r.parsed.runs[0]?.concurrency).toBeNull();
    expect(r.parsed.runs[0]?.outputTokenThroughput).toBe(32);
    expect(r.parsed.messages.map((m) => [m.rule, m.pointer])).toEqual([
      ['wrong-type', '/concurrency'],
      ['wrong-type', '/latency_s/mean'],
    ]);
  });
  it('negative counts and NaN are refused by name', () => {
    const text = JSON.stringify({ ...GOOD, ok: -3 }).replace('"qps":2', '"qps":NaN');
    const r = parseString(text, 'neg.json');
    // A bare NaN is not JSON, but Python's json writes it: read, and named as not finite.
    expect(r.parsed.messages.map((m) => [m.rule, m.pointer])).toEqual([
      ['negative-value', '/ok'],
      ['not-finite', '/qps'],
    ]);
    const r2 = parseString(JSON.stringify({ ...GOOD, ok: -3, qps: 'NaN' }), 'neg.json');
    expect(r2.parsed.messages.map((m) => [m.rule, m.pointer])).toEqual([
      ['negative-value', '/ok'],
      ['not-finite', '/qps'],
    ]);
  });
  it('zero completed requests is flagged', () => {
    const r = parseString(JSON.stringify({ ...GOOD, ok: 0 }), 'zero.json');
    expect(r.parsed.messages.map((m) => m.rule)).toContain('zero-requests');
    expect(r.parsed.runs[0]?.requestThroughput).toBe(0);
  });
  it('a JSON array where an object belongs', () => {
    const r = parseString('[1, 2, 3]', 'array.json');
    expect(r.unrecognised).toMatch(/array/);
    expect(r.parsed.messages[0]).toMatchObject({ rule: 'wrong-type', pointer: '' });
  });
  it('JSON of an unknown shape lists its keys', () => {
    const r = parseString('{"hello": 1, "world": 2}', 'other.json');
    expect(r.unrecognised).toBe('JSON of no known shape (keys "hello", "world")');
  });
  it('UTF-16 text is read, with a warning', () => {
    const text = '\ufeff' + JSON.stringify(GOOD);
    const bytes = Buffer.from(text, 'utf16le');
    const r = parseContent(bytes, 'utf16.json');
    expect(r.parsed.runs[0]?.outputTokenThroughput).toBe(32);
    expect(r.parsed.messages.map((m) => m.rule)).toEqual(['utf16-text']);
  });
  it('derived figures that disagree with the raw fields are recomputed and warned about', () => {
    const r = parseString(JSON.stringify({ ...GOOD, derived: { ...GOOD.derived, decode_tps: 40 } }), 'drift.json');
    expect(r.parsed.runs[0]?.outputTokenThroughput).toBe(32);
    expect(r.parsed.messages).toEqual([expect.objectContaining({ rule: 'derived-mismatch', pointer: '/derived/decode_tps', severity: 'warning' })]);
  });
  it('a stated figure rounded to its printed precision is not a disagreement', () => {
    const r = parseString(JSON.stringify({ ...GOOD, total_time_s: 3, qps: 2.667 }), 'rounded.json');
    expect(r.parsed.messages.filter((m) => m.rule === 'derived-mismatch').map((m) => m.pointer)).toEqual(['/derived/prompt_tps', '/derived/decode_tps']);
  });
  it('plain prose is unrecognised with a reason', () => {
    const r = parseString('These are my notes about the run.\nNothing to parse here.\n', 'notes.txt');
    expect(r.unrecognised).toMatch(/no known format/);
    expect(r.parsed.runs).toEqual([]);
  });
  it('a 10 MB single line does not break anything', () => {
    const r = parseString('x'.repeat(10 << 20), 'long.txt');
    expect(r.unrecognised).toMatch(/no known format/);
  });
});

describe('JSON Lines', () => {
  it('reads --append-result files, one run a line', () => {
    const run = { model_id: 'm', num_prompts: 10, duration: 2, completed: 10, request_throughput: 5, output_throughput: 50, total_token_throughput: 150, max_concurrency: 4 };
    const text = [run, { ...run, max_concurrency: 8, request_throughput: 6 }].map((r) => JSON.stringify(r)).join('\n');
    const r = parseString(text, 'append.json');
    expect(r.parsed.runs.map((x) => [x.index, x.concurrency, x.requestThroughput, x.inputTokenThroughput])).toEqual([
      [0, 4, 5, 100],
      [1, 8, 6, 100],
    ]);
  });
  it('aggregates the per-question JSONL of a custom suite, naming bad records by line', () => {
    const q = (id: number, correct: boolean, variant: string) => JSON.stringify({ id, question: `q${id}`, expected: 'a', answer: correct ? 'a' : 'b', correct, variant });
    const lines = [q(1, true, 'FP8'), q(2, false, 'FP8'), q(1, true, 'BF16'), q(2, true, 'BF16'), '{"id": 3, "question": "q3"}', q(2, true, 'BF16')];
    const r = parseString(lines.join('\n'), 'answers.jsonl');
    expect(r.parsed.accuracy[0]?.tasks.map((t) => [t.variant, t.correct, t.total, t.value])).toEqual([
      ['FP8', 1, 2, 0.5],
      ['BF16', 2, 2, 1],
    ]);
    expect(r.parsed.messages.map((m) => [m.rule, m.line])).toEqual([
      ['jsonl-record', 5],
      ['jsonl-record', 6],
    ]);
  });
});

describe('duplicate keys', () => {
  it('are reported with their line; the last value wins as in JSON.parse', () => {
    const r = parseString('{\n  "model": "a",\n  "ok": 1,\n  "ok": 2,\n  "total_time_s": 1,\n  "qps": 2,\n  "latency_s": {"mean": 1, "mean": 2}\n}', 'dup.json');
    expect(r.parsed.messages.filter((m) => m.rule === 'json-duplicate-key').map((m) => [m.line, m.text])).toEqual([
      [4, 'key "ok" appears more than once; the last value is used'],
      [7, 'key "mean" appears more than once; the last value is used'],
    ]);
    expect(r.parsed.runs[0]?.completed).toBe(2);
  });
});
