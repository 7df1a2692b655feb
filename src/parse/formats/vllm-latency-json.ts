/** `vllm bench latency --output-json` / `benchmark_latency.py --output-json`: the latency of one offline batch per iteration, in seconds. */
import { defineFormat } from '../format.js';
import { isObject } from '../json.js';
import { latencyJson } from './vllm-throughput-json.js';

export default defineFormat({
  id: 'vllm-latency-json',
  name: { en: 'vllm bench latency result', zh: 'vllm bench latency 结果' },
  input: 'json',
  yields: 'runs',
  tool: 'vllm',
  order: 22,
  checkedOn: { en: 'keys of vLLM’s `benchmark_latency.py` source; no real file seen', zh: '按 vLLM `benchmark_latency.py` 源码中的键名；未见真实文件' },
  describes: '`vllm bench latency --output-json` / `benchmark_latency.py --output-json` (offline engine; each latency one whole batch)',
  claims: (v) => isObject(v) && 'avg_latency' in v && ('percentiles' in v || 'latencies' in v),
  parse: latencyJson.parse,
  provenance: {
    requestThroughput: '–',
    inputTokenThroughput: '–',
    outputTokenThroughput: '–',
    latency: 'avg_latency, percentiles["50"|"90"|"99"] (s)',
  },
  metrics: latencyJson.metrics,
  definitions: { latency: 'offline-batch' },
});
