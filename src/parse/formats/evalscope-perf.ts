/** EvalScope perf's printed summary and percentile tables (`evalscope perf` console or log). */
import { evalscopePerfText } from '../evalscope-perf.js';
import { defineFormat } from '../format.js';

declare module '../../model.js' {
  interface RunFormats {
    'evalscope-perf': true;
  }
}

export default defineFormat({
  id: 'evalscope-perf',
  name: { en: 'EvalScope perf summary', zh: 'EvalScope perf 汇总' },
  input: 'text',
  yields: 'runs',
  tool: 'evalscope',
  order: 30,
  checkedOn: { en: 'evalscope-perf 0.5; EvalScope 0.11–0.17, 1.x', zh: 'evalscope-perf 0.5；EvalScope 0.11–0.17、1.x' },
  describes: 'EvalScope perf’s printed summary and percentile tables (console or `benchmark.log`)',
  claims: evalscopePerfText.claims,
  parse: evalscopePerfText.parse,
  provenance: {
    requestThroughput: ['"Average QPS"', '"Request throughput (req/s)"', '"Req Throughput (req/s)"'],
    inputTokenThroughput: [
      '"Total token throughput (tok/s)" − "Output token throughput (tok/s)"',
      '"Total Throughput (tok/s)" − "Output Throughput (tok/s)"',
      '"Average input tokens per request" × "Succeed requests" ÷ "Time taken for tests"',
    ],
    outputTokenThroughput: ['"Throughput(average output tokens per second)"', '"Output token throughput (tok/s)"', '"Output Throughput (tok/s)"'],
    latency: ['"Average latency" (s)', '"Avg Latency (s)"'],
  },
  metrics: {
    ttft: 'per request, send to first token; equals the full latency for a non-streamed request',
    tpot: 'per request, (latency − TTFT) / (output tokens − 1) in 1.x; an aggregate before 1.0; 0 when not streaming',
    itl: 'mean of all inter-chunk gaps, pooled over requests',
    latency: 'per request, send to last token',
  },
  definitions: { ttft: 'first-token', tpot: 'per-request-after-first', itl: 'pooled-chunk-gaps', latency: 'request-e2e', outputTokenThroughput: 'output-tokens-over-duration' },
});
