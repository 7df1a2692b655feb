/**
 * NVIDIA AIPerf and its predecessor genai-perf: their profile exports name each metric by a tag
 * (`time_to_first_token`, `inter_token_latency`, `request_throughput`, …) with a unit and
 * statistics (`avg`, `min`, `max`, `p1` … `p99`, `std`). The layouts:
 *
 *   AIPerf ≤ 0.2 JSON     `records: {<tag>: {tag, unit, header, avg, …, count}}` (short tags `ttft`, `ttst`)
 *   AIPerf ≥ 0.3 JSON     `schema_version`, `aiperf_version`, then one top-level key per metric
 *   genai-perf JSON       top-level keys per metric, statistics as strings, latencies in ns
 *   CSV (both tools)      `Metric,avg,[sum,]min,max,p…,std` then, after a blank line, `Metric,Value`;
 *                         the unit in the metric's name (`Time to First Token (ms)`); genai-perf quotes
 *                         thousands ("1,234.5")
 *
 * The definitions differ: AIPerf's inter-token latency is per request (latency − TTFT) / (tokens − 1),
 * vLLM's TPOT; its inter-chunk latency pools the gaps between chunks, vLLM's ITL. genai-perf's
 * inter-token latency is per response: gap to the previous response ÷ tokens in it, pooled (an ITL).
 */
import { messages } from '../messages.js';
import type { Run, RunFormat, Stat } from '../model.js';
import { isObject, type Json, type JsonObject } from './json.js';
import { newRun, sumOrNull, type Parsed } from './types.js';

export type Tool = 'aiperf' | 'genai-perf';

/** One metric: its unit as the tool wrote it, and its statistics. */
export interface Metric {
  unit: string | null;
  stats: Record<string, number | null>;
}

/** Metric tags across versions, to the current one. */
const ALIASES: Record<string, string> = {
  ttft: 'time_to_first_token',
  ttst: 'time_to_second_token',
  num_output_token: 'output_sequence_length',
  num_input_token: 'input_sequence_length',
};

/** A display name ("Time to First Token (ms)") as its tag and unit. */
export function tagOfName(name: string): { tag: string; unit: string | null } {
  const m = /^(.*?)\s*(?:\(([^()]*)\))?\s*$/.exec(name.trim());
  const base = (m?.[1] ?? name).toLowerCase().replace(/%/g, 'pct').replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '');
  return { tag: ALIASES[base] ?? base, unit: m?.[2] ?? null };
}

export function canonicalTag(tag: string): string {
  return ALIASES[tag] ?? tag;
}

/** A number written as a number or a numeric string ("12.5", "1,234.5"); null when absent or null. */
export function numberOf(v: Json | undefined): number | null | 'bad' {
  if (v === undefined || v === null) return null;
  if (typeof v === 'number') return Number.isFinite(v) ? v : 'bad';
  if (typeof v === 'string' && /^-?[\d,]*\.?\d+(e[-+]?\d+)?$/i.test(v.trim())) return Number(v.replace(/,/g, ''));
  return 'bad';
}

/** The metrics of a JSON export: under `records` (old AIPerf) or as top-level keys; bad values named by pointer. */
export function metricsOfJson(obj: JsonObject, file: string, out: Parsed): Map<string, Metric> {
  const holder = isObject(obj['records']) ? obj['records'] : obj;
  const base = holder === obj ? '' : '/records';
  const metrics = new Map<string, Metric>();
  for (const [key, value] of Object.entries(holder)) {
    if (!isObject(value) || !('unit' in value) || !('avg' in value)) continue;
    const stats: Record<string, number | null> = {};
    for (const [stat, v] of Object.entries(value)) {
      if (stat === 'unit' || stat === 'tag' || stat === 'header') continue;
      const n = numberOf(v);
      if (n === 'bad') out.messages.push(messages.wrongType(file, `${base}/${key}/${stat}`, 'a number', JSON.stringify(v)));
      // A time cannot be negative (a difference in percent can).
      const negativeTime = typeof n === 'number' && n < 0 && isTime(value['unit']) && stat !== 'std';
      if (negativeTime) out.messages.push(messages.negative(file, `${base}/${key}/${stat}`, n));
      stats[stat] = n === 'bad' || negativeTime ? null : n;
    }
    metrics.set(canonicalTag(key), { unit: typeof value['unit'] === 'string' ? value['unit'] : null, stats });
  }
  return metrics;
}

function isTime(unit: Json | undefined): boolean {
  return typeof unit === 'string' && toMs(unit) !== null;
}

/** A factor turning `unit` into milliseconds (null: not a time unit). */
function toMs(unit: string | null): number | null {
  switch ((unit ?? '').trim().toLowerCase()) {
    case 'ms':
      return 1;
    case 's':
    case 'sec':
    case 'seconds':
      return 1000;
    case 'us':
    case 'usec':
    case 'µs':
      return 1e-3;
    case 'ns':
      return 1e-6;
    default:
      return null;
  }
}

/** A latency metric as a Stat in milliseconds, whatever unit the tool wrote it in. */
function statOf(m: Metric | undefined): Stat | null {
  if (!m) return null;
  const f = toMs(m.unit);
  if (f === null) return null;
  const v = (k: string) => {
    const x = m.stats[k];
    return x === null || x === undefined ? null : x * f;
  };
  const stat: Stat = { mean: v('avg'), p50: v('p50'), p90: v('p90'), p95: v('p95'), p99: v('p99'), min: v('min'), max: v('max') };
  return Object.values(stat).some((x) => x !== null) ? stat : null;
}

/** A scalar metric's value (`avg`, or `value` in a CSV's second table). */
function scalar(m: Metric | undefined): number | null {
  return m ? (m.stats['avg'] ?? m.stats['value'] ?? null) : null;
}

/** A duration metric in seconds. */
function seconds(m: Metric | undefined): number | null {
  const v = scalar(m);
  const f = toMs(m?.unit ?? null);
  return v === null || f === null ? null : (v * f) / 1000;
}

/** What a run's export says beside its metrics: model, load and streaming, where it says. */
export interface RunContext {
  model: string | null;
  concurrency: number | null;
  requestRate: number | null;
  requestsSent: number | null;
  streaming: boolean | null;
  maxTokens: number | null;
  version: string | null;
}

export function runFromMetrics(metrics: Map<string, Metric>, ctx: RunContext, tool: Tool, file: string, format: RunFormat): Run {
  const get = (tag: string) => metrics.get(tag);
  const run = newRun(file, 0, format);
  run.model = ctx.model;
  run.concurrency = ctx.concurrency;
  run.requestRate = ctx.requestRate;
  run.streaming = ctx.streaming;
  run.maxTokens = ctx.maxTokens;
  run.completed = scalar(get('request_count'));
  run.failed = scalar(get('error_request_count')) ?? (run.completed !== null && tool === 'aiperf' ? 0 : null);
  run.requests = ctx.requestsSent ?? (run.completed !== null && run.failed !== null ? run.completed + run.failed : null);
  run.durationS = seconds(get('benchmark_duration'));
  run.requestThroughput = scalar(get('request_throughput'));
  run.outputTokenThroughput = scalar(get('output_token_throughput'));
  run.totalTokenThroughput = scalar(get('total_token_throughput'));
  const inputTotal = scalar(get('total_isl')) ?? scalar(get('total_input_sequence_length'));
  run.inputTokenThroughput = inputTotal !== null && run.durationS ? inputTotal / run.durationS : null;
  run.totalTokenThroughput ??= run.inputTokenThroughput !== null && run.outputTokenThroughput !== null ? sumOrNull(run.inputTokenThroughput, run.outputTokenThroughput) : null;
  run.inputTokensMean = scalar(get('input_sequence_length'));
  // Output sequence length counts reasoning tokens too; a table that prints only the output token count gives that.
  run.outputTokensMean = scalar(get('output_sequence_length')) ?? scalar(get('output_token_count'));
  run.latencyMs = statOf(get('request_latency'));
  run.ttftMs = statOf(get('time_to_first_token'));
  if (tool === 'aiperf') {
    run.tpotMs = statOf(get('inter_token_latency'));
    run.itlMs = statOf(get('inter_chunk_latency'));
  } else run.itlMs = statOf(get('inter_token_latency'));
  run.metadata['tool'] = tool;
  if (ctx.version !== null) run.metadata[`${tool}_version`] = ctx.version;
  return run;
}

/** Known tags: the others a newer export adds are named, not guessed at. */
export const KNOWN_TAGS = new Set([
  'request_throughput', 'request_latency', 'request_count', 'error_request_count', 'time_to_first_token', 'time_to_second_token',
  'time_to_first_output_token', 'inter_token_latency', 'inter_chunk_latency', 'output_token_throughput', 'output_token_throughput_per_user',
  'output_token_throughput_per_request', 'total_token_throughput', 'output_sequence_length', 'input_sequence_length', 'output_token_count',
  'reasoning_token_count', 'total_isl', 'total_osl', 'total_output_tokens', 'total_reasoning_tokens', 'benchmark_duration',
  'min_request_timestamp', 'max_response_timestamp', 'minimum_request_timestamp', 'maximum_response_timestamp', 'e2e_output_token_throughput',
  'prefill_throughput_per_user', 'osl_mismatch_diff_pct', 'osl_mismatch_count', 'error_isl', 'total_error_isl', 'total_input_sequence_length',
  'total_output_sequence_length', 'total_error_input_sequence_length', 'error_input_sequence_length', 'goodput', 'request_goodput',
]);

/**
 * Names, in a warning at `pointer`, the keys of an export (other than `ignored` ones) that are no
 * metric benchbook knows under any of its tags: what a newer version added.
 */
export function reportUnknownTags(keys: string[], ignored: ReadonlySet<string>, file: string, pointer: string, out: Parsed): void {
  const unknown = keys.filter((k) => !ignored.has(k) && !KNOWN_TAGS.has(canonicalTag(k)));
  if (unknown.length > 0) out.messages.push(messages.unknownFields(file, { pointer }, unknown));
}

export const AIPERF_METRICS = {
  ttft: 'per request, request start to the first response',
  tpot: 'AIPerf’s inter_token_latency: per request, (latency − TTFT) / (output tokens − 1)',
  itl: 'AIPerf’s inter_chunk_latency: gaps between consecutive chunks, all requests pooled',
  latency: 'per request, request start to the last response',
  outputTokenThroughput: 'all output tokens (reasoning included) / benchmark duration',
} as const;
