/**
 * NVIDIA AIPerf `aggregate/profile_export_aiperf_aggregate.json`, written with `--num-profile-runs
 * N > 1`: `metadata` (`aggregation_type`, `num_profile_runs`, `num_successful_runs`,
 * `confidence_level`, `run_labels`, `failed_runs`) and `metrics` keyed `<metric>_<statistic>[_<unit>]`
 * (`request_throughput_avg`, `ttft_p99_ms`), each `{mean, std, min, max, cv, se, ci_low, ci_high,
 * t_critical, unit}` over the runs. One run: the mean over the runs of each statistic, with the
 * confidence interval of the headline figures kept as metadata. The runs' own exports
 * (`profile_runs/run_NNNN/`) are runs of their own.
 */
import { messages } from '../../messages.js';
import { AIPERF_METRICS, canonicalTag, KNOWN_TAGS, runFromMetrics, type Metric } from '../aiperf.js';
import { defineFormat } from '../format.js';
import { isObject, reportUnknownKeys, type Json, type JsonObject } from '../json.js';
import { emptyParsed, type Parsed } from '../types.js';

declare module '../../model.js' {
  interface RunFormats {
    'aiperf-aggregate-json': true;
  }
}

const ID = 'aiperf-aggregate-json';
/** The top level of the file: what is not one of these is named. */
const TOP = new Set(['schema_version', 'aiperf_version', 'metadata', 'metrics']);
const KEY = /^(.+?)_(avg|mean|min|max|std|sum|count|p\d+(?:\.\d+)?)(?:_(ms|s|sec|ns|us))?$/;
/** The figures whose confidence interval the run keeps. */
const HEADLINE = new Set(['output_token_throughput_avg', 'request_throughput_avg', 'time_to_first_token_avg', 'request_latency_avg', 'inter_token_latency_avg']);

const str = (v: Json | undefined): string | null => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : null);

function parse(value: Json, file: string): Parsed {
  const out = emptyParsed();
  out.formats.push(ID);
  if (!isObject(value)) return out;
  const meta = isObject(value['metadata']) ? value['metadata'] : {};
  const entries = isObject(value['metrics']) ? value['metrics'] : null;
  if (!entries) {
    out.messages.push(messages.wrongType(file, '/metrics', 'an object of aggregated metrics', Array.isArray(value['metrics']) ? 'an array' : typeof value['metrics']));
    return out;
  }
  reportUnknownKeys(value, TOP, file, '', out.messages);
  const metrics = new Map<string, Metric>();
  const unknown: string[] = [];
  const ci: Record<string, string> = {};
  for (const [key, raw] of Object.entries(entries)) {
    const m = KEY.exec(key);
    const tag = m ? canonicalTag(m[1] ?? '') : '';
    if (!m || !KNOWN_TAGS.has(tag)) {
      unknown.push(key);
      continue;
    }
    if (!isObject(raw)) {
      out.messages.push(messages.wrongType(file, `/metrics/${key}`, 'an object {mean, std, ci_low, ci_high, unit, …}', typeof raw));
      continue;
    }
    const mean = raw['mean'];
    if (typeof mean !== 'number' || !Number.isFinite(mean)) {
      if (mean !== null && mean !== undefined) out.messages.push(messages.wrongType(file, `/metrics/${key}/mean`, 'a number', typeof mean));
      continue;
    }
    const stat = m[2] === 'mean' ? 'avg' : (m[2] ?? 'avg');
    const unit = str(raw['unit']) ?? m[3] ?? null;
    const metric = metrics.get(tag) ?? { unit, stats: {} };
    metric.stats[stat] = mean;
    metrics.set(tag, metric);
    const norm = `${tag}_${stat}`;
    if (HEADLINE.has(norm) && typeof raw['ci_low'] === 'number' && typeof raw['ci_high'] === 'number') ci[`ci ${norm}`] = `${raw['ci_low']} – ${raw['ci_high']}${unit ? ` ${unit}` : ''}`;
  }
  if (unknown.length > 0) out.messages.push(messages.unknownFields(file, { pointer: '/metrics' }, unknown));
  const runs = typeof meta['num_successful_runs'] === 'number' ? meta['num_successful_runs'] : null;
  const run = runFromMetrics(metrics, { model: null, concurrency: null, requestRate: null, requestsSent: null, streaming: null, maxTokens: null, version: null }, 'aiperf', file, ID);
  for (const k of ['aggregation_type', 'num_profile_runs', 'num_successful_runs', 'confidence_level'] as const) {
    const v = str(meta[k]);
    if (v !== null) run.metadata[k] = v;
  }
  Object.assign(run.metadata, ci);
  if (runs !== null) run.metadata['label'] = `mean of ${runs} runs`;
  const failed = meta['failed_runs'];
  if (Array.isArray(failed) && failed.length > 0) {
    run.metadata['failed_runs'] = failed.map((f: Json) => (isObject(f) ? `${str(f['label']) ?? '?'}: ${str(f['error']) ?? ''}` : String(f))).join('; ');
  }
  out.runs.push(run);
  return out;
}

export default defineFormat({
  id: ID,
  name: { en: 'AIPerf multi-run aggregate (JSON)', zh: 'AIPerf 多次运行汇总（JSON）' },
  input: 'json',
  yields: 'runs',
  tool: 'aiperf',
  order: 14,
  checkedOn: { en: 'AIPerf docs example layout (multi-run confidence, 2026); no real file seen', zh: 'AIPerf 文档示例的结构（多次运行置信区间，2026）；未见真实文件' },
  describes: 'NVIDIA AIPerf `profile_export_aiperf_aggregate.json` (`--num-profile-runs` > 1): the mean over the runs of each statistic, with confidence intervals',
  claims: (v: Json) => isObject(v) && isObject(v['metadata']) && isObject(v['metrics']) && ('num_profile_runs' in (v['metadata'] as JsonObject) || 'aggregation_type' in (v['metadata'] as JsonObject)),
  parse,
  provenance: {
    requestThroughput: 'metrics.request_throughput_avg.mean',
    inputTokenThroughput: 'metrics.total_isl_avg.mean / metrics.benchmark_duration_avg.mean',
    outputTokenThroughput: 'metrics.output_token_throughput_avg.mean',
    latency: 'metrics.request_latency_{avg,p50,pNN}.mean (ms)',
  },
  metrics: AIPERF_METRICS,
  definitions: { ttft: 'first-token', tpot: 'per-request-after-first', itl: 'pooled-chunk-gaps', latency: 'request-e2e', outputTokenThroughput: 'output-tokens-over-duration' },
});
