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
  checkedOn: 'EvalScope 1.x `benchmark_summary.json`',
  describes: 'EvalScope perf’s `benchmark_summary.json` (a flat dict keyed by display labels)',
  claims: evalscopePerfJson.claims,
  parse: evalscopePerfJson.parse,
  provenance: {
    requestThroughput: '"Request throughput (req/s)"',
    inputTokenThroughput: '"Total token throughput (tok/s)" − "Output token throughput (tok/s)"',
    outputTokenThroughput: '"Output token throughput (tok/s)"',
    latency: '"Average latency (s)"',
  },
  metrics: {
    ttft: 'per request, send to first token; equals the full latency for a non-streamed request',
    tpot: 'per request, (latency − TTFT) / (output tokens − 1); 0 when not streaming',
    itl: 'mean of all inter-chunk gaps, pooled over requests',
    latency: 'per request, send to last token',
  },
  definitions: { ttft: 'first-token', tpot: 'per-request-after-first', itl: 'pooled-chunk-gaps', latency: 'request-e2e', outputTokenThroughput: 'output-tokens-over-duration' },
});
