/** The printed `============ Serving Benchmark Result ============` block of `vllm bench serve` / `benchmark_serving.py`. */
import { defineFormat } from '../format.js';
import { vllmBenchText } from '../vllm-bench-text.js';

declare module '../../model.js' {
  interface RunFormats {
    'vllm-bench-text': true;
  }
}

export default defineFormat({
  id: 'vllm-bench-text',
  name: { en: 'vllm bench serve printout', zh: 'vllm bench serve 输出' },
  input: 'text',
  yields: 'runs',
  tool: 'vllm',
  order: 10,
  checkedOn: { en: 'vLLM 0.6.6, 2025 H2', zh: 'vLLM 0.6.6、2025 下半年' },
  describes: 'the printed `Serving Benchmark Result` block of `vllm bench serve` / `benchmark_serving.py`',
  claims: vllmBenchText.claims,
  parse: vllmBenchText.parse,
  provenance: {
    requestThroughput: '"Request throughput (req/s)"',
    inputTokenThroughput: ['"Input token throughput (tok/s)"', '"Total token throughput" − "Output token throughput"'],
    outputTokenThroughput: '"Output token throughput (tok/s)"',
    latency: '"Mean/Median/P99 E2EL (ms)" ÷ 1000',
  },
  metrics: {
    ttft: 'per request, send to first streamed token',
    tpot: 'per request, (E2E − TTFT) / (output tokens − 1): excludes the first token',
    itl: 'gaps between consecutive streamed chunks, pooled over all requests',
    latency: 'per request, send to last token (E2EL)',
    outputTokenThroughput: 'output tokens / benchmark duration',
  },
  definitions: { ttft: 'first-token', tpot: 'per-request-after-first', itl: 'pooled-chunk-gaps', latency: 'request-e2e', outputTokenThroughput: 'output-tokens-over-duration' },
});
