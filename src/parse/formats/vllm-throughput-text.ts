/** The `Throughput: … requests/s, … tokens/s` line of `vllm bench throughput` / `benchmark_throughput.py`. */
import { defineFormat } from '../format.js';
import { vllmThroughputText } from '../vllm-throughput-text.js';

declare module '../../model.js' {
  interface RunFormats {
    'vllm-throughput-text': true;
  }
}

export default defineFormat({
  id: 'vllm-throughput-text',
  input: 'text',
  yields: 'runs',
  order: 20,
  describes: 'the `Throughput: … requests/s, … total tokens/s` line of `vllm bench throughput` / `benchmark_throughput.py`',
  claims: vllmThroughputText.claims,
  parse: vllmThroughputText.parse,
  provenance: {
    requestThroughput: '"Throughput: … requests/s"',
    inputTokenThroughput: 'total tokens/s × input_len / (input_len + output_len)',
    outputTokenThroughput: 'total tokens/s × output_len / (input_len + output_len)',
    latency: '–',
  },
  metrics: {
    totalTokenThroughput: 'offline: (input + output tokens) / elapsed time of the whole batch; no per-request latency',
  },
});
