/**
 * GuideLLM `benchmarks.json` / `benchmarks.yaml` reports, the family both formats share: one run per
 * benchmark (a strategy of a profile: synchronous, throughput, constant or poisson at a rate,
 * concurrent at a number of streams). Layouts by era: 0.2.x `{benchmarks}` with `args`,
 * `run_stats`, `worker`, `request_loader`, `request_totals`; later `{args, benchmarks}`,
 * `{metadata: {version: 1}, args, benchmarks}` and `{metadata: {version: 2}, config, benchmarks}`
 * with `config`, `scheduler_state` and `scheduler_metrics` per benchmark. Every metric holds
 * `successful` / `errored` / `incomplete` / `total` distributions (`mean`, `median`, `min`, `max`,
 * `percentiles.pNN`); request latency is in seconds, TTFT / ITL / TPOT in milliseconds.
 */
import { messages } from '../messages.js';
import type { Run, RunFormat, Stat } from '../model.js';
import { Fields, isObject, type Json, type JsonObject, reportUnknownKeys } from './json.js';
import { emptyParsed, newRun, secondsToMs, type Parsed } from './types.js';

/** A GuideLLM report: an object with a list of benchmarks of the generative kind. */
export function isGuidellmReport(v: Json): v is JsonObject {
  if (!isObject(v) || !Array.isArray(v['benchmarks'])) return false;
  const first = v['benchmarks'][0];
  return isObject(first) && 'metrics' in first && (typeof first['type_'] === 'string' || 'request_totals' in first || 'scheduler_metrics' in first);
}

/** Keys of a benchmark benchbook reads or knowingly leaves. */
/** The top level of a report, in every layout (0.2.x `benchmarks` alone; `metadata` version 2 with `args`/`config`). */
const REPORT_KEYS = new Set(['benchmarks', 'metadata', 'args', 'config', 'type_', 'id_']);

const KNOWN = new Set([
  'type_', 'id_', 'run_id', 'args', 'config', 'run_stats', 'scheduler_state', 'scheduler_metrics', 'worker', 'request_loader',
  'extras', 'metrics', 'start_time', 'end_time', 'request_totals', 'request_samples', 'requests', 'duration', 'env_args',
]);

/** A metric's successful-request distribution → a Stat, `scale` turning its unit into milliseconds. */
function statOf(metric: Fields | null, scale: number): Stat | null {
  const d = metric?.object('successful');
  if (!d) return null;
  const p = d.object('percentiles');
  const ms = (v: number | null) => (v === null ? null : scale === 1000 ? secondsToMs(v) : v);
  const stat: Stat = {
    mean: ms(d.num('mean', { nonNegative: true })),
    p50: ms(d.num('median', { nonNegative: true }) ?? p?.num('p50', { nonNegative: true }) ?? null),
    p90: ms(p?.num('p90', { nonNegative: true }) ?? null),
    p95: ms(p?.num('p95', { nonNegative: true }) ?? null),
    p99: ms(p?.num('p99', { nonNegative: true }) ?? null),
    min: ms(d.num('min', { nonNegative: true })),
    max: ms(d.num('max', { nonNegative: true })),
  };
  return Object.values(stat).some((v) => v !== null) ? stat : null;
}

function meanOf(metric: Fields | null): number | null {
  return metric?.object('successful')?.num('mean', { nonNegative: true }) ?? null;
}

/** Where a benchmark's strategy lives: 0.2.x `args.strategy`, later `config.strategy`. */
function strategyOf(b: JsonObject): JsonObject | null {
  for (const holder of [b['config'], b['args']]) if (isObject(holder) && isObject(holder['strategy'])) return holder['strategy'];
  return null;
}

function strategyInto(run: Run, strategy: JsonObject | null): void {
  const type = typeof strategy?.['type_'] === 'string' ? (strategy['type_'] as string) : null;
  if (type === null) return;
  run.metadata['strategy'] = type;
  const rate = strategy?.['rate'];
  const streams = strategy?.['streams'] ?? strategy?.['max_concurrency'];
  if (type === 'synchronous') run.concurrency = 1;
  if (type === 'concurrent' && typeof streams === 'number') run.concurrency = streams;
  if ((type === 'constant' || type === 'poisson') && typeof rate === 'number' && rate > 0) run.requestRate = rate;
  if (type === 'throughput') run.metadata['request_rate'] = 'inf';
}

/** The counts of a benchmark: 0.2.x `request_totals`, later `scheduler_metrics.requests_made`. */
function countsOf(b: Fields): Fields | null {
  return b.object('request_totals') ?? b.object('scheduler_metrics')?.object('requests_made') ?? null;
}

/** The model a benchmark talked to: 0.2.x `worker.backend_model`, later the report's config. */
function modelOf(b: Fields, report: Fields): string | null {
  const worker = b.object('worker');
  return worker?.str('backend_model') ?? report.object('config')?.object('spec')?.str('model') ?? report.object('args')?.str('model') ?? null;
}

function benchmarkRun(obj: JsonObject, report: Fields, file: string, format: RunFormat, index: number, out: Parsed): Run {
  const pointer = `/benchmarks/${index}`;
  const b = new Fields(obj, file, pointer, out.messages);
  const run = newRun(file, index, format);
  run.model = modelOf(b, report);
  strategyInto(run, strategyOf(obj));
  run.streaming = true; // GuideLLM measures every request from its stream
  const counts = countsOf(b);
  run.completed = counts?.count('successful') ?? null;
  run.failed = counts?.count('errored') ?? null;
  run.requests = counts?.count('total') ?? null;
  if (counts?.count('incomplete')) run.metadata['incomplete'] = String(counts.count('incomplete'));
  run.durationS = b.num('duration', { nonNegative: true });
  const m = b.object('metrics');
  const metric = (k: string) => m?.object(k) ?? null;
  run.requestThroughput = meanOf(metric('requests_per_second'));
  run.outputTokenThroughput = meanOf(metric('output_tokens_per_second'));
  run.totalTokenThroughput = meanOf(metric('tokens_per_second'));
  run.inputTokensMean = meanOf(metric('prompt_token_count'));
  run.outputTokensMean = meanOf(metric('output_token_count'));
  run.latencyMs = statOf(metric('request_latency'), 1000);
  run.ttftMs = statOf(metric('time_to_first_token_ms'), 1);
  // GuideLLM's ITL excludes the first token, per request: what vLLM calls TPOT. Its "time per output
  // token" includes the first token: latency per output token.
  run.tpotMs = statOf(metric('inter_token_latency_ms'), 1);
  run.msPerOutputToken = meanOf(metric('time_per_output_token_ms'));
  const specData = report.object('config')?.object('spec')?.obj['data'];
  const data = b.object('request_loader')?.str('data') ?? (Array.isArray(specData) && typeof specData[0] === 'string' ? specData[0] : null);
  const outputTokens = data === null ? null : /(?:^|,)\s*output_tokens=(\d+)/.exec(data)?.[1];
  if (outputTokens !== undefined && outputTokens !== null) run.maxTokens = Number(outputTokens);
  if (data !== null) run.metadata['data'] = data;
  reportUnknownKeys(obj, KNOWN, file, pointer, out.messages);
  if (run.completed === 0) out.messages.push(messages.zeroRequests(file, { pointer: `${pointer}/request_totals/successful` }));
  return run;
}

/** Every benchmark of a report as a run. */
export function parseGuidellmReport(value: Json, file: string, format: RunFormat): Parsed {
  const out = emptyParsed();
  out.formats.push(format);
  if (!isObject(value)) return out;
  const report = new Fields(value, file, '', out.messages);
  reportUnknownKeys(value, REPORT_KEYS, file, '', out.messages);
  const version = report.object('metadata')?.str('guidellm_version') ?? null;
  const benchmarks = Array.isArray(value['benchmarks']) ? value['benchmarks'] : [];
  benchmarks.forEach((b, i) => {
    if (!isObject(b)) {
      out.messages.push(messages.wrongType(file, `/benchmarks/${i}`, 'a benchmark object', typeof b));
      return;
    }
    const run = benchmarkRun(b, report, file, format, i, out);
    if (version !== null) run.metadata['guidellm_version'] = version;
    out.runs.push(run);
  });
  return out;
}

export const GUIDELLM_PROVENANCE = {
  requestThroughput: 'metrics.requests_per_second.successful.mean',
  inputTokenThroughput: '–',
  outputTokenThroughput: 'metrics.output_tokens_per_second.successful.mean',
  latency: 'metrics.request_latency.successful.{mean,median,percentiles.pNN} × 1000',
} as const;

export const GUIDELLM_METRICS = {
  ttft: 'per request, send to first token; successful requests',
  tpot: 'GuideLLM’s inter_token_latency: per request, average time between tokens after the first (what vLLM calls TPOT)',
  itl: 'not reported: GuideLLM’s ITL is per request and excludes the first token (shown as TPOT); its "time per output token" includes the first token (shown as ms per output token)',
  latency: 'per request, send to last token, in seconds',
  outputTokenThroughput: 'mean over the run of output tokens per second (GuideLLM’s time-windowed rate), successful requests',
  concurrency: 'the strategy’s: 1 for synchronous, streams for concurrent; a rate for constant and poisson',
} as const;
