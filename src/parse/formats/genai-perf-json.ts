/**
 * genai-perf `profile_export_genai_perf.json` (see parse/aiperf.ts): top-level metrics whose
 * statistics early versions wrote as strings, latencies in ns, token counts as `num_output_token` /
 * `num_input_token` (later `output_sequence_length` / `input_sequence_length`), the CLI's arguments in
 * `input_config`.
 */
import { reportUnknownTags, metricsOfJson, runFromMetrics } from '../aiperf.js';
import { defineFormat } from '../format.js';
import { isObject, type Json, type JsonObject } from '../json.js';
import { emptyParsed, type Parsed } from '../types.js';

declare module '../../model.js' {
  interface RunFormats {
    'genai-perf-json': true;
  }
}

const ID = 'genai-perf-json';

function claims(v: Json): boolean {
  if (!isObject(v) || 'aiperf_version' in v || 'records' in v) return false;
  const ic = v['input_config'];
  const rt = v['request_throughput'];
  return isObject(ic) && !isObject(ic['endpoint']) && isObject(rt) && 'unit' in rt && ('service_kind' in ic || 'artifact_dir' in ic || 'num_output_token' in v || 'output_sequence_length' in v);
}

const num = (v: Json | undefined): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

function parse(value: Json, file: string): Parsed {
  const out = emptyParsed();
  out.formats.push(ID);
  if (!isObject(value)) return out;
  const ic = isObject(value['input_config']) ? (value['input_config'] as JsonObject) : {};
  const extra = isObject(ic['extra_inputs']) ? ic['extra_inputs'] : {};
  const metrics = metricsOfJson(value, file, out);
  const run = runFromMetrics(
    metrics,
    {
      model: typeof ic['model'] === 'string' ? ic['model'] : Array.isArray(ic['model']) && typeof ic['model'][0] === 'string' ? ic['model'][0] : null,
      concurrency: num(ic['concurrency']),
      requestRate: num(ic['request_rate']),
      requestsSent: null,
      streaming: typeof ic['streaming'] === 'boolean' ? ic['streaming'] : null,
      maxTokens: num(extra['max_tokens']),
      version: null,
    },
    'genai-perf',
    file,
    ID,
  );
  reportUnknownTags(Object.keys(value), new Set(['input_config']), file, '', out);
  if (typeof ic['backend'] === 'string') run.metadata['backend'] = ic['backend'];
  out.runs.push(run);
  return out;
}

export default defineFormat({
  id: ID,
  name: { en: 'genai-perf profile export (JSON)', zh: 'genai-perf 导出（JSON）' },
  input: 'json',
  yields: 'runs',
  tool: 'genai-perf',
  order: 14,
  checkedOn: { en: 'genai-perf 2024 H1 (strings, ns) and later numeric layouts', zh: 'genai-perf 2024 上半年（字符串、ns）及之后的数值结构' },
  describes: 'genai-perf `profile_export_genai_perf.json` (statistics as strings in early versions, latencies in ns)',
  claims,
  parse,
  provenance: {
    requestThroughput: 'request_throughput.avg',
    inputTokenThroughput: '–',
    outputTokenThroughput: 'output_token_throughput.avg',
    latency: 'request_latency.{avg,p50,pNN} (ns ÷ 10⁶)',
  },
  metrics: {
    ttft: 'per request, send to first response',
    itl: 'genai-perf’s inter_token_latency: per response, time since the previous response ÷ tokens in it, pooled',
    latency: 'per request, send to final response',
    outputTokenThroughput: 'all output tokens / benchmark duration',
  },
  definitions: { ttft: 'first-token', itl: 'per-response-gap-per-token', latency: 'request-e2e', outputTokenThroughput: 'output-tokens-over-duration' },
});
