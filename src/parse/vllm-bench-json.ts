/**
 * `vllm bench serve --save-result` / `benchmarks/benchmark_serving.py --save-result` JSON, every
 * variant vLLM has written: 0.5.x `input_throughput`, 0.6+ `total_token_throughput`, the
 * `"request_goodput:"` key of late 2024 to mid 2025, `failed`, `--metadata` pairs merged in as
 * top-level strings, `request_rate` as the string "inf", per-percentile `pNN_*_ms` keys, and the
 * `--append-result` form (one JSON object per line).
 */
import { messages } from '../messages.js';
import { statOrNull, type Stat } from '../model.js';
import { Fields, isObject, secondsStatOf, type Json, type JsonObject } from './json.js';
import { emptyParsed, emptyStat, meanOf, newRun, over, requestSamplesOf, type JsonParser, type Parsed } from './types.js';

const KNOWN_RESULT_KEYS = new Set([
  'date', 'endpoint_type', 'backend', 'label', 'model_id', 'tokenizer_id', 'num_prompts', 'request_rate', 'burstiness',
  'max_concurrency', 'ramp_up_strategy', 'ramp_up_start_rps', 'ramp_up_end_rps', 'duration', 'completed', 'failed',
  'total_input_tokens', 'total_output_tokens', 'request_throughput', 'request_goodput', 'request_goodput:',
  'output_throughput', 'input_throughput', 'total_token_throughput', 'input_lens', 'output_lens', 'ttfts', 'itls', 'e2els',
  'start_times', 'generated_texts', 'errors', 'max_output_tokens_per_s', 'max_concurrent_requests', 'rtfx',
  'best_of', 'use_beam_search',
]);

const STAT_KEY = /^(mean|median|std|p\d+(?:\.\d+)?)_(ttft|tpot|itl|e2el)_ms$/;

function msStat(f: Fields, metric: string): Stat | null {
  const s = emptyStat();
  s.mean = f.num(`mean_${metric}_ms`, { nonNegative: true });
  s.p50 = f.num(`median_${metric}_ms`, { nonNegative: true }) ?? f.num(`p50_${metric}_ms`, { nonNegative: true });
  s.p90 = f.num(`p90_${metric}_ms`, { nonNegative: true });
  s.p95 = f.num(`p95_${metric}_ms`, { nonNegative: true });
  s.p99 = f.num(`p99_${metric}_ms`, { nonNegative: true });
  return statOrNull(s);
}

/** A statistic written without the `_ms` suffix (`median_ttft`), as forks of benchmark_serving.py do. */
const BARE_STAT_KEY = /^(mean|median|std|p\d+(?:\.\d+)?)_(ttft|tpot|itl|e2el)$/;

/**
 * A metric whose statistics carry no `_ms` suffix (`median_ttft` 0.265): forks of
 * benchmark_serving.py (InferenceX's) that write seconds. Read as seconds, and said so, where the
 * metric has no `_ms` keys; null where it has them or none at all.
 */
function bareSecondsStat(f: Fields, obj: JsonObject, metric: string, assumed: string[]): Stat | null {
  if (Object.keys(obj).some((k) => k.endsWith(`_${metric}_ms`))) return null;
  const keys = Object.keys(obj).filter((k) => BARE_STAT_KEY.test(k) && k.endsWith(`_${metric}`));
  if (keys.length === 0) return null;
  assumed.push(...keys);
  const has = (k: string): string | null => (k in obj ? k : null);
  return secondsStatOf(f, (stat) => (stat === 'mean' ? has(`mean_${metric}`) : stat === 'p50' ? (has(`median_${metric}`) ?? has(`p50_${metric}`)) : stat === 'min' || stat === 'max' ? null : has(`${stat}_${metric}`)));
}

export function claimsVllmBench(v: Json): v is JsonObject {
  return isObject(v) && 'completed' in v && 'duration' in v && 'request_throughput' in v;
}

/** The scalar keys that are not a result's own: `--metadata` pairs, or a sweep's parameters. */
function extraKeys(obj: JsonObject): Record<string, string> {
  const extra: Record<string, string> = {};
  for (const [k, v] of Object.entries(obj)) {
    if (KNOWN_RESULT_KEYS.has(k) || STAT_KEY.test(k) || BARE_STAT_KEY.test(k) || k === 'run_number') continue;
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') extra[k] = String(v);
  }
  return extra;
}

export function parseVllmBenchObject(obj: JsonObject, file: string, index: number, pointer: string, out: Parsed): void {
  const runNumber = obj['run_number'];
  if (typeof runNumber === 'number' && runNumber < 0) {
    out.messages.push(messages.sweepWarmup(file, `${pointer}/run_number`));
    return;
  }
  const f = new Fields(obj, file, pointer, out.messages);
  const run = newRun(file, index, 'vllm-bench-json');
  run.model = f.str('model_id');
  run.requests = f.count('num_prompts');
  run.concurrency = f.count('max_concurrency');
  const rate = obj['request_rate'];
  run.requestRate = typeof rate === 'string' && /^inf/i.test(rate) ? null : f.num('request_rate', { nonNegative: true });
  run.durationS = f.num('duration', { nonNegative: true });
  run.completed = f.count('completed');
  run.failed = f.count('failed');
  run.totalInputTokens = f.count('total_input_tokens');
  run.totalOutputTokens = f.count('total_output_tokens');
  run.requestThroughput = f.num('request_throughput', { nonNegative: true });
  run.outputTokenThroughput = f.num('output_throughput', { nonNegative: true });
  run.totalTokenThroughput = f.num('total_token_throughput', { nonNegative: true });
  // 0.5.x wrote input_throughput (input tokens/s) and no total.
  run.inputTokenThroughput =
    f.num('input_throughput', { nonNegative: true }) ??
    (run.totalTokenThroughput !== null && run.outputTokenThroughput !== null
      ? run.totalTokenThroughput - run.outputTokenThroughput
      : over(run.totalInputTokens, run.durationS));
  if (run.totalTokenThroughput === null && run.inputTokenThroughput !== null && run.outputTokenThroughput !== null) {
    run.totalTokenThroughput = run.inputTokenThroughput + run.outputTokenThroughput;
  }
  run.peakOutputTokenThroughput = f.num('max_output_tokens_per_s', { nonNegative: true });
  run.peakConcurrentRequests = f.num('max_concurrent_requests', { nonNegative: true });
  run.inputTokensMean = meanOf(f.numbers('input_lens')) ?? over(run.totalInputTokens, run.completed);
  run.outputTokensMean = meanOf(f.numbers('output_lens')) ?? over(run.totalOutputTokens, run.completed);
  const assumed: string[] = [];
  run.ttftMs = msStat(f, 'ttft') ?? bareSecondsStat(f, obj, 'ttft', assumed);
  run.tpotMs = msStat(f, 'tpot') ?? bareSecondsStat(f, obj, 'tpot', assumed);
  run.itlMs = msStat(f, 'itl') ?? bareSecondsStat(f, obj, 'itl', assumed);
  run.latencyMs = msStat(f, 'e2el') ?? bareSecondsStat(f, obj, 'e2el', assumed);
  if (assumed.length > 0) out.messages.push(messages.unitAssumed(file, pointer, assumed, 'seconds, the unit of the benchmark_serving.py forks that drop the _ms suffix'));
  // `vllm bench sweep serve` adds `run_number` and the combination's serve and bench overrides to
  // each result (`run=N.json`, `summary.json`, `summary.csv`): there, the extra keys are parameters.
  const extra = extraKeys(obj);
  if (typeof runNumber === 'number') {
    run.params = extra;
    run.metadata['run_number'] = String(runNumber);
  } else Object.assign(run.metadata, extra);
  for (const k of ['backend', 'label', 'date', 'tokenizer_id'] as const) {
    const v = obj[k];
    if (typeof v === 'string') run.metadata[k] = v;
  }
  if (run.model === null && typeof obj['model'] === 'string') run.model = obj['model'];
  const samples = requestSamplesOf(obj);
  if (samples) run.perRequest = samples;
  if (run.completed === 0) out.messages.push(messages.zeroRequests(file, { pointer: `${pointer}/completed` }));
  out.runs.push(run);
}

export const vllmBenchJson: JsonParser = {
  claims: claimsVllmBench,
  parse(value: Json, file: string): Parsed {
    const out = emptyParsed();
    out.formats.push('vllm-bench-json');
    if (isObject(value)) parseVllmBenchObject(value, file, 0, '', out);
    return out;
  },
};
