import type { Accuracy, Environment, Message, RequestSamples, Run, RunFormat, RunPart, ServerLog } from '../model.js';

export type { PartStat, RunPart } from '../model.js';
import { emptyStat } from '../model.js';
import type { Json } from './json.js';

/** What parsing one file yields. A file may hold several kinds (a log with a pasted result block). */
export interface Parsed {
  formats: string[];
  runs: Run[];
  serverLogs: ServerLog[];
  environments: Environment[];
  accuracy: Accuracy[];
  messages: Message[];
  /** Parts of runs that a tool writes to files of their own beside the run's (joined in assemble/join.ts). */
  parts?: RunPart[];
}

export function emptyParsed(): Parsed {
  return { formats: [], runs: [], serverLogs: [], environments: [], accuracy: [], messages: [] };
}

/** The parsing code of one JSON shape, for its definition in formats/; `claims` looks at the parsed value only. */
export interface JsonParser {
  claims(value: Json): boolean;
  parse(value: Json, file: string): Parsed;
}

/** The parsing code of one printed format, for its definition in formats/; `claims` looks at the text, `parse` extracts every occurrence. */
export interface TextParser {
  claims(text: string): boolean;
  parse(text: string, file: string): Parsed;
}

export function newRun(file: string, index: number, format: RunFormat): Run {
  return {
    file,
    index,
    line: null,
    format,
    model: null,
    concurrency: null,
    streaming: null,
    requests: null,
    completed: null,
    failed: null,
    maxTokens: null,
    requestRate: null,
    durationS: null,
    requestThroughput: null,
    inputTokenThroughput: null,
    outputTokenThroughput: null,
    totalTokenThroughput: null,
    peakOutputTokenThroughput: null,
    peakConcurrentRequests: null,
    inputTokensMean: null,
    outputTokensMean: null,
    totalInputTokens: null,
    totalOutputTokens: null,
    latencyMs: null,
    ttftMs: null,
    tpotMs: null,
    itlMs: null,
    msPerOutputToken: null,
    metadata: {},
    tags: [],
    label: '',
    serverLog: null,
    environment: null,
  };
}

export { emptyStat };

/** Multiplies when both are known. */
export function times(a: number | null, b: number | null): number | null {
  return a === null || b === null ? null : a * b;
}

/** Divides when both are known and the divisor is not zero. */
export function over(a: number | null, b: number | null): number | null {
  return a === null || b === null || b === 0 ? null : a / b;
}

/** The mean of the values; null when there are none. */
export function meanOf(xs: readonly number[] | null): number | null {
  return xs && xs.length > 0 ? xs.reduce((a, b) => a + b, 0) / xs.length : null;
}

export function sumOrNull(...xs: (number | null)[]): number | null {
  return xs.some((x) => x === null) ? null : xs.reduce<number>((s, x) => s + (x ?? 0), 0);
}

/** Seconds → milliseconds, keeping the decimal precision the source printed (65.2861 s → 65286.1 ms). */
export function secondsToMs(v: number): number {
  const s = String(v);
  if (/e/i.test(s)) return v * 1000;
  const decimals = (s.split('.')[1] ?? '').length;
  return Number((v * 1000).toFixed(Math.max(0, decimals - 3)));
}

/**
 * The per-request arrays vLLM's `--save-detailed` and SGLang's `--output-details` write (`ttfts`,
 * `itls` in seconds, `output_lens`, `errors`, and `e2els` where a writer keeps it), as each successful request's TTFT, TPOT and
 * end-to-end latency in ms. Null where the arrays are absent or of different lengths.
 */
export function requestSamplesOf(obj: Record<string, unknown>): RequestSamples | null {
  const ttfts = obj['ttfts'];
  const itls = obj['itls'];
  const lens = obj['output_lens'];
  const errors = obj['errors'];
  // Some writers keep each request's end-to-end latency too (`e2els`, seconds): measured, it beats TTFT + the gaps.
  const e2els = Array.isArray(obj['e2els']) && (obj['e2els'] as unknown[]).length === (Array.isArray(ttfts) ? ttfts.length : -1) ? (obj['e2els'] as unknown[]) : null;
  if (!Array.isArray(ttfts) || !Array.isArray(itls) || !Array.isArray(lens) || ttfts.length === 0) return null;
  if (itls.length !== ttfts.length || lens.length !== ttfts.length) return null;
  const out: RequestSamples = { ttftMs: [], tpotMs: [], e2eMs: [] };
  for (let i = 0; i < ttfts.length; i++) {
    const ttft = ttfts[i];
    const gaps = itls[i];
    const n = lens[i];
    const failed = Array.isArray(errors) && typeof errors[i] === 'string' && errors[i] !== '';
    if (failed || typeof ttft !== 'number' || !Number.isFinite(ttft) || typeof n !== 'number' || n <= 0 || !Array.isArray(gaps)) continue;
    let sum = 0;
    for (const g of gaps) if (typeof g === 'number' && Number.isFinite(g)) sum += g;
    const e2e = e2els?.[i];
    if (typeof e2e === 'number' && Number.isFinite(e2e) && e2e >= ttft) sum = e2e - ttft;
    out.ttftMs.push(ttft * 1000);
    out.tpotMs.push(n > 1 ? (sum * 1000) / (n - 1) : null);
    out.e2eMs.push((ttft + sum) * 1000);
  }
  return out.ttftMs.length > 0 ? out : null;
}
