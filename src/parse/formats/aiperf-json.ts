/**
 * NVIDIA AIPerf `profile_export_aiperf.json`, both layouts (see parse/aiperf.ts): `records` keyed by
 * tag (≤ 0.2) and top-level metrics with `schema_version` / `aiperf_version` (≥ 0.3). The load comes
 * from `input_config`: `loadgen` (old) or `phases` (new); the model from `endpoint.model_names` or
 * `models.items`.
 */
import { messages } from '../../messages.js';
import { AIPERF_METRICS, reportUnknownTags, metricsOfJson, runFromMetrics, type RunContext } from '../aiperf.js';
import { defineFormat } from '../format.js';
import { isObject, reportUnknownKeys, type Json, type JsonObject } from '../json.js';
import { emptyParsed, type Parsed } from '../types.js';

declare module '../../model.js' {
  interface RunFormats {
    'aiperf-json': true;
  }
}

const ID = 'aiperf-json';
const TOP = new Set(['schema_version', 'aiperf_version', 'benchmark_id', 'records', 'input_config', 'was_cancelled', 'error_summary', 'start_time', 'end_time', 'telemetry_data', 'server_metrics']);

function claims(v: Json): boolean {
  if (!isObject(v)) return false;
  if ('aiperf_version' in v) return true;
  const ic = v['input_config'];
  return isObject(v['records']) && isObject(ic) && (isObject(ic['endpoint']) || isObject(ic['loadgen']));
}

const obj = (v: Json | undefined): JsonObject | null => (isObject(v) ? v : null);
const num = (v: Json | undefined): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

function contextOf(value: JsonObject): RunContext {
  const ic = obj(value['input_config']);
  const endpoint = obj(ic?.['endpoint']);
  const names = endpoint?.['model_names'];
  const items = obj(ic?.['models'])?.['items'];
  const firstItem = Array.isArray(items) ? obj(items[0]) : null;
  const model = Array.isArray(names) && typeof names[0] === 'string' ? names[0] : typeof firstItem?.['name'] === 'string' ? (firstItem['name'] as string) : null;
  const loadgen = obj(ic?.['loadgen']);
  const phases = ic?.['phases'];
  const profiling = Array.isArray(phases) ? (phases.map(obj).find((p) => p?.['name'] === 'profiling' || p?.['exclude_from_results'] === false) ?? null) : null;
  return {
    model,
    concurrency: num(loadgen?.['concurrency']) ?? num(profiling?.['concurrency']),
    requestRate: num(loadgen?.['request_rate']) ?? num(profiling?.['rate']) ?? num(profiling?.['request_rate']),
    requestsSent: num(loadgen?.['request_count']) ?? num(profiling?.['requests']),
    streaming: typeof endpoint?.['streaming'] === 'boolean' ? endpoint['streaming'] : null,
    maxTokens: null,
    version: typeof value['aiperf_version'] === 'string' ? value['aiperf_version'] : null,
  };
}

function parse(value: Json, file: string): Parsed {
  const out = emptyParsed();
  out.formats.push(ID);
  if (!isObject(value)) return out;
  const metrics = metricsOfJson(value, file, out);
  const run = runFromMetrics(metrics, contextOf(value), 'aiperf', file, ID);
  const holder = isObject(value['records']) ? value['records'] : value;
  reportUnknownTags(Object.keys(holder), holder === value ? TOP : new Set(), file, holder === value ? '' : '/records', out);
  // In the records layout the top level holds no metrics: what it has beyond the known keys is named too.
  if (holder !== value) reportUnknownKeys(value, TOP, file, '', out.messages);
  const errors = value['error_summary'];
  if (Array.isArray(errors) && errors.length > 0) {
    run.metadata['errors'] = errors
      .map(obj)
      .map((e) => `${String(obj(e?.['error_details'])?.['type'] ?? 'error')} ×${String(e?.['count'] ?? '?')}`)
      .join(', ');
  }
  if (run.completed === 0) out.messages.push(messages.zeroRequests(file, { pointer: holder === value ? '/request_count' : '/records/request_count' }));
  out.runs.push(run);
  return out;
}

export default defineFormat({
  id: ID,
  name: { en: 'AIPerf profile export (JSON)', zh: 'AIPerf 导出（JSON）' },
  input: 'json',
  yields: 'runs',
  tool: 'aiperf',
  order: 13,
  checkedOn: { en: 'AIPerf 0.1.x (`records`), 0.8.0 (schema 1.0)', zh: 'AIPerf 0.1.x（`records`）、0.8.0（schema 1.0）' },
  describes: 'NVIDIA AIPerf `profile_export_aiperf.json`: the ≤ 0.2 `records` layout and the later top-level metrics with `schema_version`',
  claims,
  parse,
  provenance: {
    requestThroughput: ['request_throughput.avg', 'records.request_throughput.avg'],
    inputTokenThroughput: ['total_isl.avg / benchmark_duration.avg', 'records.total_isl.avg / records.benchmark_duration.avg'],
    outputTokenThroughput: ['output_token_throughput.avg', 'records.output_token_throughput.avg'],
    latency: ['request_latency.{avg,p50,pNN} (ms)', 'records.request_latency.{avg,p50,pNN} (ms)'],
  },
  metrics: AIPERF_METRICS,
  definitions: { ttft: 'first-token', tpot: 'per-request-after-first', itl: 'pooled-chunk-gaps', latency: 'request-e2e', outputTokenThroughput: 'output-tokens-over-duration' },
});
