/**
 * LLMPerf `*_individual_responses.json`: a JSON array of one record per request (`error_code` null
 * or a code, `ttft_s`, `end_to_end_latency_s`, `inter_token_latency_s`, token counts). One run: its
 * statistics over the requests without an error, as LLMPerf's summary computes them (numpy's
 * linear quantiles). The file has no wall time, so no throughput. On errored records
 * `inter_token_latency_s` is not divided by the token count, one more reason to leave them out.
 */
import { messages } from '../../messages.js';
import type { Stat } from '../../model.js';
import { defineFormat } from '../format.js';
import { Fields, isObject, type Json } from '../json.js';
import { emptyParsed, meanOf, newRun, secondsToMs } from '../types.js';

declare module '../../model.js' {
  interface RunFormats {
    'llmperf-requests': true;
  }
}

const ID = 'llmperf-requests';

/** A record's keys (LLMPerf writes the generated text as `GEN_TEXT` when asked to keep it). */
const KNOWN = new Set(['error_code', 'error_msg', 'inter_token_latency_s', 'ttft_s', 'end_to_end_latency_s', 'request_output_throughput_token_per_s', 'number_total_tokens', 'number_output_tokens', 'number_input_tokens', 'GEN_TEXT']);

const isRecord = (v: Json): boolean => isObject(v) && 'error_code' in v && 'ttft_s' in v && 'end_to_end_latency_s' in v;

/** numpy's default (linear) quantile of sorted values. */
function quantile(sorted: number[], q: number): number | null {
  if (sorted.length === 0) return null;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  return a + (b - a) * (pos - lo);
}

/** Seconds → a Stat in ms over the values. */
function statOf(values: number[]): Stat | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((x, y) => x - y);
  const ms = (v: number | null) => (v === null ? null : secondsToMs(v));
  return {
    mean: ms(meanOf(values)),
    p50: ms(quantile(sorted, 0.5)),
    p90: ms(quantile(sorted, 0.9)),
    p95: ms(quantile(sorted, 0.95)),
    p99: ms(quantile(sorted, 0.99)),
    min: ms(sorted[0] ?? null),
    max: ms(sorted[sorted.length - 1] ?? null),
  };
}

export default defineFormat({
  id: ID,
  name: { en: 'LLMPerf per-request results', zh: 'LLMPerf 逐请求结果' },
  input: 'json',
  yields: 'runs',
  tool: 'llmperf',
  order: 26,
  checkedOn: { en: 'LLMPerf `2023-08-31` (leaderboard 2023-12)', zh: 'LLMPerf `2023-08-31`（2023-12 排行榜）' },
  describes: 'LLMPerf `*_individual_responses.json`: an array of per-request records, summarised as one run',
  claims: () => false,
  parse: () => emptyParsed(),
  records: {
    shapes: ['array'],
    claims: (values) => values.length > 0 && values.every(isRecord),
    parse(records, file) {
      const out = emptyParsed();
      out.formats.push(ID);
      const ok: Fields[] = [];
      let failed = 0;
      records.forEach((r, i) => {
        if (!isObject(r.value)) return;
        const f = new Fields(r.value, file, `/${i}`, out.messages);
        if (r.value['error_code'] !== null && r.value['error_code'] !== undefined) failed++;
        else ok.push(f);
      });
      const values = (key: string) => ok.map((f) => f.num(key, { nonNegative: true })).filter((v): v is number => v !== null);
      const run = newRun(file, 0, ID);
      run.requests = records.length;
      run.completed = ok.length;
      run.failed = failed;
      run.streaming = true;
      run.ttftMs = statOf(values('ttft_s'));
      run.latencyMs = statOf(values('end_to_end_latency_s'));
      const perToken = meanOf(values('inter_token_latency_s'));
      run.msPerOutputToken = perToken === null ? null : secondsToMs(perToken);
      run.inputTokensMean = meanOf(values('number_input_tokens'));
      run.outputTokensMean = meanOf(values('number_output_tokens'));
      if (ok.length === 0) out.messages.push(messages.zeroRequests(file, { pointer: '' }));
      const unknown = [...new Set(records.flatMap((r) => (isObject(r.value) ? Object.keys(r.value) : [])))].filter((k) => !KNOWN.has(k));
      // Pointed at the first record that holds one of them.
      const first = records.findIndex((r) => isObject(r.value) && Object.keys(r.value).some((k) => !KNOWN.has(k)));
      if (unknown.length > 0) out.messages.push(messages.unknownFields(file, { pointer: `/${first}` }, unknown));
      out.runs.push(run);
      return out;
    },
  },
  provenance: {
    requestThroughput: '–',
    inputTokenThroughput: '–',
    outputTokenThroughput: '–',
    latency: 'end_to_end_latency_s of the records without error_code (mean, linear quantiles) × 1000',
  },
  metrics: {
    ttft: 'per request, send to first streamed chunk; errored requests excluded',
    itl: 'LLMPerf’s inter_token_latency_s includes the first token: shown as ms per output token',
    latency: 'per request, send to last chunk; errored requests excluded',
  },
  definitions: { ttft: 'first-token', latency: 'request-e2e' },
});
