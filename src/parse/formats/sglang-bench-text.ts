/** The printed `============ Serving Benchmark Result ============` block of SGLang's `bench_serving` (and its forks). */
import { defineFormat } from '../format.js';
import { sglangBenchText } from '../vllm-bench-text.js';

declare module '../../model.js' {
  interface RunFormats {
    'sglang-bench-text': true;
  }
}

export default defineFormat({
  id: 'sglang-bench-text',
  name: { en: 'SGLang bench_serving printout', zh: 'SGLang bench_serving 输出' },
  input: 'text',
  yields: 'runs',
  tool: 'sglang',
  order: 11,
  checkedOn: { en: 'SGLang 2024 (a research fork), 2025', zh: 'SGLang 2024（一个研究分支）、2025' },
  describes: 'the printed `Serving Benchmark Result` block of SGLang `python -m sglang.bench_serving` (`Backend:`, `Traffic request rate:`, `E2E Latency` lines)',
  claims: sglangBenchText.claims,
  parse: sglangBenchText.parse,
  provenance: {
    requestThroughput: '"Request throughput (req/s)"',
    inputTokenThroughput: '"Input token throughput (tok/s)"',
    outputTokenThroughput: '"Output token throughput (tok/s)"',
    latency: '"Mean/Median/P99 E2E Latency (ms)" ÷ 1000',
  },
  metrics: {
    ttft: 'per request, send to first streamed chunk (its whole latency when not streamed)',
    tpot: 'per request, (E2E − TTFT) / (output tokens − 1): excludes the first token',
    itl: 'gaps between consecutive streamed chunks, pooled over all requests (0 when not streamed)',
    latency: 'per request, send to last chunk',
    outputTokenThroughput: 'output tokens / benchmark duration',
    concurrency: '"Concurrency": the sum of request latencies / duration (measured, not the cap)',
  },
  definitions: { ttft: 'first-token', tpot: 'per-request-after-first', itl: 'pooled-chunk-gaps', latency: 'request-e2e', outputTokenThroughput: 'output-tokens-over-duration' },
});
