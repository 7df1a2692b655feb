/**
 * LLMPerf (`token_benchmark_ray.py`) `<model>_<in>_<out>_summary.json`: flat `results_<metric>_*`
 * keys in seconds (`quantiles_pNN`, `mean`, `min`, `max`, `stddev`), some counts written as strings,
 * `results_error_code_frequency` as a Python dict repr. Statistics exclude errored requests.
 */
import { messages } from '../../messages.js';
import type { Stat } from '../../model.js';
import { defineFormat } from '../format.js';
import { Fields, isObject, secondsStatOf, type Json, type JsonObject } from '../json.js';
import { emptyParsed, newRun, over, secondsToMs, type Parsed } from '../types.js';

declare module '../../model.js' {
  interface RunFormats {
    'llmperf-summary': true;
  }
}

const ID = 'llmperf-summary';

/** Per-request statistics the summary writes for each metric: known, read where a run has a place for them. */
const KNOWN_STATS = /^results_(inter_token_latency_s|ttft_s|end_to_end_latency_s|request_output_throughput_token_per_s|number_input_tokens|number_output_tokens)_(mean|min|max|stddev|quantiles_p\d+)$/;
/** The summary's other keys: its settings, counts and the run's time stamp. */
const KNOWN = new Set(['mean_input_tokens', 'stddev_input_tokens', 'mean_output_tokens', 'stddev_output_tokens', 'results_error_rate', 'timestamp']);

/** A copy of the summary with counts written as strings ("550") turned into numbers; anything else is left for Fields to report. */
function numericStrings(v: JsonObject): JsonObject {
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, typeof x === 'string' && k.startsWith('results_') && /^-?\d+(\.\d+)?$/.test(x.trim()) ? Number(x) : x]));
}

/** `results_<metric>_{mean,quantiles_pNN,min,max}` in seconds → a Stat in milliseconds. */
function secondsStat(f: Fields, metric: string): Stat | null {
  return secondsStatOf(f, (stat) => `results_${metric}_${stat === 'mean' || stat === 'min' || stat === 'max' ? stat : `quantiles_${stat}`}`);
}

function parse(value: Json, file: string): Parsed {
  const out = emptyParsed();
  out.formats.push(ID);
  if (!isObject(value)) return out;
  const f = new Fields(numericStrings(value), file, '', out.messages);
  const run = newRun(file, 0, ID);
  run.model = f.str('model');
  run.concurrency = f.count('num_concurrent_requests');
  run.requests = f.count('results_num_requests_started');
  run.completed = f.count('results_num_completed_requests');
  run.failed = f.count('results_number_errors');
  run.inputTokensMean = f.num('results_number_input_tokens_mean', { nonNegative: true }) ?? f.num('mean_input_tokens', { nonNegative: true });
  run.outputTokensMean = f.num('results_number_output_tokens_mean', { nonNegative: true });
  // The requested output length is a fixed max_tokens only when its spread is zero.
  if (f.num('stddev_output_tokens') === 0) run.maxTokens = f.count('mean_output_tokens');
  run.outputTokenThroughput = f.num('results_mean_output_throughput_token_per_s', { nonNegative: true });
  const perMin = f.num('results_num_completed_requests_per_min', { nonNegative: true });
  run.requestThroughput = perMin === null ? null : perMin / 60;
  run.durationS = over(run.completed, run.requestThroughput);
  run.latencyMs = secondsStat(f, 'end_to_end_latency_s');
  run.ttftMs = secondsStat(f, 'ttft_s');
  // LLMPerf's "inter_token_latency_s" is a request's chunk gaps including the first (so TTFT too)
  // over its output tokens: latency per output token, not ITL or TPOT.
  const perToken = f.num('results_inter_token_latency_s_mean', { nonNegative: true });
  run.msPerOutputToken = perToken === null ? null : secondsToMs(perToken);
  for (const key of ['version', 'name', 'framework', 'results_error_code_frequency']) {
    const v = f.str(key);
    if (v !== null) run.metadata[key === 'version' ? 'llmperf_version' : key.replace(/^results_/, '')] = v;
  }
  if (run.completed === 0) out.messages.push(messages.zeroRequests(file, { pointer: '/results_num_completed_requests' }));
  f.reportUnread(Object.keys(value).filter((k) => KNOWN_STATS.test(k) || KNOWN.has(k)));
  out.runs.push(run);
  return out;
}

export default defineFormat({
  id: ID,
  name: { en: 'LLMPerf summary', zh: 'LLMPerf 汇总' },
  input: 'json',
  yields: 'runs',
  tool: 'llmperf',
  order: 25,
  checkedOn: { en: 'LLMPerf `2023-08-31` (leaderboard 2023-12)', zh: 'LLMPerf `2023-08-31`（2023-12 排行榜）' },
  describes: 'LLMPerf `token_benchmark_ray.py` `*_summary.json` (flat `results_*` keys in seconds, counts sometimes as strings)',
  claims: (v) => isObject(v) && 'results_num_requests_started' in v && 'num_concurrent_requests' in v && Object.keys(v).some((k) => k.startsWith('results_ttft_s')),
  parse,
  provenance: {
    requestThroughput: 'results_num_completed_requests_per_min / 60',
    inputTokenThroughput: '–',
    outputTokenThroughput: 'results_mean_output_throughput_token_per_s',
    latency: 'results_end_to_end_latency_s_{mean,quantiles_pNN}',
  },
  metrics: {
    ttft: 'per request, send to first streamed chunk; errored requests excluded',
    itl: 'LLMPerf’s inter_token_latency_s includes the first token: (all chunk gaps incl. TTFT) / output tokens per request; shown as ms per output token',
    latency: 'per request, send to last chunk; errored requests excluded',
    outputTokenThroughput: 'output tokens of non-errored requests / wall time of the run',
    concurrency: 'num_concurrent_requests: the client’s concurrent request cap',
  },
  definitions: { ttft: 'first-token', latency: 'request-e2e', outputTokenThroughput: 'output-tokens-over-duration' },
});
