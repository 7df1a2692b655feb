/** EvalScope perf's `benchmark_summary.json` (flat dict of display labels). */
import { evalscopePerfJson } from '../evalscope-perf.js';
import { defineFormat } from '../format.js';

declare module '../../model.js' {
  interface RunFormats {
    'evalscope-perf-json': true;
  }
}

export default defineFormat({
  id: 'evalscope-perf-json',
  name: { en: 'EvalScope perf summary (JSON)', zh: 'EvalScope perf 汇总（JSON）' },
  input: 'json',
  yields: 'runs',
  tool: 'evalscope',
  order: 30,
  checkedOn: {
    en: 'EvalScope 0.x, 1.x `benchmark_summary.json`: the labels of before and after the 2026-04 renaming (`Average time to first token (s)` → `Avg TTFT (ms)`)',
    zh: 'EvalScope 0.x、1.x 的 `benchmark_summary.json`：2026-04 改名前后的两套键名（`Average time to first token (s)` → `Avg TTFT (ms)`）',
  },
  describes: 'EvalScope perf’s `benchmark_summary.json` (a flat dict keyed by display labels), joined with the `benchmark_percentile.json` and `benchmark_args.json` beside it',
  claims: evalscopePerfJson.claims,
  parse: evalscopePerfJson.parse,
  provenance: {
    requestThroughput: ['"Request throughput (req/s)"', '"Req Throughput (req/s)"'],
    inputTokenThroughput: ['"Total token throughput (tok/s)" − "Output token throughput (tok/s)"', '"Total Throughput (tok/s)" − "Output Throughput (tok/s)"'],
    outputTokenThroughput: ['"Output token throughput (tok/s)"', '"Output Throughput (tok/s)"'],
    latency: ['"Average latency (s)"', '"Avg Latency (s)"'],
  },
  metrics: {
    ttft: 'per request, send to first token; equals the full latency for a non-streamed request',
    tpot: 'per request, (latency − TTFT) / (output tokens − 1); 0 when not streaming',
    itl: 'mean of all inter-chunk gaps, pooled over requests',
    latency: 'per request, send to last token',
  },
  definitions: { ttft: 'first-token', tpot: 'per-request-after-first', itl: 'pooled-chunk-gaps', latency: 'request-e2e', outputTokenThroughput: 'output-tokens-over-duration' },
});
