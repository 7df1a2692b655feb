/**
 * `vllm bench throughput --output-json` (and `benchmarks/benchmark_throughput.py` before it): an
 * offline run of the engine without a server, `{elapsed_time, num_requests, total_num_tokens,
 * requests_per_second, tokens_per_second}`.
 */
import { messages } from '../../messages.js';
import { defineFormat } from '../format.js';
import { Fields, isObject, reportUnknownKeys, type Json } from '../json.js';
import { emptyParsed, newRun, over, type Parsed } from '../types.js';

declare module '../../model.js' {
  interface RunFormats {
    'vllm-throughput-json': true;
  }
}

const THROUGHPUT_KEYS = new Set(['elapsed_time', 'num_requests', 'total_num_tokens', 'requests_per_second', 'tokens_per_second', 'total_output_tokens', 'total_num_output_tokens', 'total_prompt_tokens', 'total_num_input_tokens', 'output_tokens_per_second']);

function parseThroughput(value: Json, file: string): Parsed {
  const out = emptyParsed();
  out.formats.push('vllm-throughput-json');
  if (!isObject(value)) return out;
  const f = new Fields(value, file, '', out.messages);
  const run = newRun(file, 0, 'vllm-throughput-json');
  run.durationS = f.num('elapsed_time', { nonNegative: true });
  run.requests = f.count('num_requests');
  run.completed = run.requests;
  run.requestThroughput = f.num('requests_per_second', { nonNegative: true });
  run.totalTokenThroughput = f.num('tokens_per_second', { nonNegative: true });
  const outputTokens = f.has('total_output_tokens') ? f.count('total_output_tokens') : f.has('total_num_output_tokens') ? f.count('total_num_output_tokens') : null;
  run.totalOutputTokens = outputTokens;
  const total = f.count('total_num_tokens');
  run.totalInputTokens = total !== null && outputTokens !== null ? total - outputTokens : null;
  run.outputTokenThroughput = f.has('output_tokens_per_second') ? f.num('output_tokens_per_second', { nonNegative: true }) : over(outputTokens, run.durationS);
  if (run.outputTokenThroughput !== null && run.totalTokenThroughput !== null) run.inputTokenThroughput = run.totalTokenThroughput - run.outputTokenThroughput;
  run.inputTokensMean = over(run.totalInputTokens, run.requests);
  run.outputTokensMean = over(outputTokens, run.requests);
  if (run.requests === 0) out.messages.push(messages.zeroRequests(file, { pointer: '/num_requests' }));
  reportUnknownKeys(value, THROUGHPUT_KEYS, file, '', out.messages);
  out.runs.push(run);
  return out;
}

export default defineFormat({
  id: 'vllm-throughput-json',
  name: { en: 'vllm bench throughput result', zh: 'vllm bench throughput 结果' },
  input: 'json',
  yields: 'runs',
  tool: 'vllm',
  order: 21,
  checkedOn: { en: 'keys of vLLM’s `benchmark_throughput.py` source; no real file seen', zh: '按 vLLM `benchmark_throughput.py` 源码中的键名；未见真实文件' },
  describes: '`vllm bench throughput --output-json` / `benchmark_throughput.py --output-json` (offline engine, no server)',
  claims: (v) => isObject(v) && 'requests_per_second' in v && 'tokens_per_second' in v && 'elapsed_time' in v,
  parse: parseThroughput,
  provenance: {
    requestThroughput: 'requests_per_second',
    inputTokenThroughput: 'tokens_per_second − output tokens / elapsed_time',
    outputTokenThroughput: ['output_tokens_per_second', 'total_output_tokens / elapsed_time'],
    latency: '–',
  },
  metrics: {
    totalTokenThroughput: '(input + output tokens) / elapsed time of the whole offline batch',
    outputTokenThroughput: 'output tokens / elapsed time of the whole offline batch',
  },
  definitions: { outputTokenThroughput: 'output-tokens-over-duration' },
});
