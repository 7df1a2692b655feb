/** `vllm bench serve` / `benchmark_serving.py` result JSON (`--save-result`), one object, an array or `--append-result` JSON Lines. */
import { defineFormat } from '../format.js';
import { isObject } from '../json.js';
import { emptyParsed } from '../types.js';
import { claimsVllmBench, parseVllmBenchObject, vllmBenchJson } from '../vllm-bench-json.js';

declare module '../../model.js' {
  interface RunFormats {
    'vllm-bench-json': true;
  }
}

export default defineFormat({
  id: 'vllm-bench-json',
  name: { en: 'vllm bench serve result', zh: 'vllm bench serve 结果' },
  input: 'json',
  yields: 'runs',
  tool: 'vllm',
  order: 20,
  checkedOn: { en: 'vLLM 0.5 – 0.13 (`benchmark_serving.py`, `vllm bench serve`); llm-d 2025-05; a 2026 fork', zh: 'vLLM 0.5 – 0.13（`benchmark_serving.py`、`vllm bench serve`）；llm-d 2025-05；一个 2026 年的分支' },
  describes: '`vllm bench serve` / `benchmark_serving.py` result JSON (`--save-result`; an array or `--append-result` JSON Lines of several)',
  claims: vllmBenchJson.claims,
  parse: vllmBenchJson.parse,
  records: {
    shapes: ['array', 'lines'],
    claims: (values) => values.length > 0 && values.every(claimsVllmBench),
    parse(records, file) {
      const out = emptyParsed();
      out.formats.push('vllm-bench-json');
      records.forEach((r, i) => isObject(r.value) && parseVllmBenchObject(r.value, file, i, `/${i}`, out));
      return out;
    },
  },
  provenance: {
    requestThroughput: 'request_throughput',
    inputTokenThroughput: ['total_token_throughput − output_throughput', 'input_throughput'],
    outputTokenThroughput: 'output_throughput',
    latency: '{mean,median,pNN}_e2el_ms ÷ 1000',
  },
  metrics: {
    ttft: 'per request, send to first streamed token',
    tpot: 'per request, (E2E − TTFT) / (output tokens − 1): excludes the first token',
    itl: 'gaps between consecutive streamed chunks, pooled over all requests',
    latency: 'per request, send to last token (e2el)',
    outputTokenThroughput: 'output tokens / duration of the run',
    totalTokenThroughput: '(input + output tokens) / duration of the run',
    concurrency: 'the client cap on requests in flight (max_concurrency)',
  },
  definitions: { ttft: 'first-token', tpot: 'per-request-after-first', itl: 'pooled-chunk-gaps', latency: 'request-e2e', outputTokenThroughput: 'output-tokens-over-duration' },
});
