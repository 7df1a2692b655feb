/**
 * `vllm bench throughput --output-json` and `vllm bench latency --output-json` (and the
 * `benchmarks/benchmark_throughput.py` / `benchmark_latency.py` scripts before them): offline runs
 * of the engine without a server. Throughput: `{elapsed_time, num_requests, total_num_tokens,
 * requests_per_second, tokens_per_second}`; latency: `{avg_latency, latencies[], percentiles{"10",
 * "25", "50", "75", "90", "99"}}`, in seconds, each latency that of one whole batch.
 */
import { messages } from '../../messages.js';
import { defineFormat } from '../format.js';
import { Fields, isObject, type Json, type JsonObject } from '../json.js';
import { emptyParsed, emptyStat, newRun, over, secondsToMs, type Parsed } from '../types.js';
import { statOrNull } from '../../model.js';

declare module '../../model.js' {
  interface RunFormats {
    'vllm-throughput-json': true;
    'vllm-latency-json': true;
  }
}

const THROUGHPUT_KEYS = new Set(['elapsed_time', 'num_requests', 'total_num_tokens', 'requests_per_second', 'tokens_per_second', 'total_output_tokens', 'total_num_output_tokens', 'total_prompt_tokens', 'total_num_input_tokens', 'output_tokens_per_second']);
const LATENCY_KEYS = new Set(['avg_latency', 'latencies', 'percentiles']);

function unknownKeys(v: JsonObject, known: ReadonlySet<string>, file: string, out: Parsed): void {
  const unknown = Object.keys(v).filter((k) => !known.has(k));
  if (unknown.length > 0) out.messages.push(messages.unknownFields(file, { pointer: '' }, unknown));
}

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
  unknownKeys(value, THROUGHPUT_KEYS, file, out);
  out.runs.push(run);
  return out;
}

function parseLatency(value: Json, file: string): Parsed {
  const out = emptyParsed();
  out.formats.push('vllm-latency-json');
  if (!isObject(value)) return out;
  const f = new Fields(value, file, '', out.messages);
  const run = newRun(file, 0, 'vllm-latency-json');
  const stat = emptyStat();
  const avg = f.num('avg_latency', { nonNegative: true });
  stat.mean = avg === null ? null : secondsToMs(avg);
  const pct = f.object('percentiles');
  const at = (p: string): number | null => {
    const v = pct?.has(p) ? pct.num(p, { nonNegative: true }) : null;
    return v === null ? null : secondsToMs(v);
  };
  stat.p50 = at('50');
  stat.p90 = at('90');
  stat.p99 = at('99');
  const all = f.numbers('latencies');
  if (all && all.length > 0) {
    stat.min = secondsToMs(Math.min(...all));
    stat.max = secondsToMs(Math.max(...all));
    run.metadata['iterations'] = String(all.length);
  }
  run.latencyMs = statOrNull(stat);
  unknownKeys(value, LATENCY_KEYS, file, out);
  out.runs.push(run);
  return out;
}

const offlineMetrics = {
  latency: 'vllm bench latency: the time one whole batch (batch size × input → output tokens) takes, per iteration; not a per-request latency',
  totalTokenThroughput: 'vllm bench throughput: (input + output tokens) / elapsed time of the whole offline batch',
  outputTokenThroughput: 'output tokens / elapsed time of the whole offline batch',
};

export const vllmThroughputJson = defineFormat({
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
  metrics: offlineMetrics,
  definitions: { outputTokenThroughput: 'output-tokens-over-duration' },
});

/** What the latency format (its own definition file) takes from here. */
export const latencyJson = { parse: parseLatency, metrics: offlineMetrics };

export default vllmThroughputJson;
