/**
 * TensorRT-LLM `trtllm-bench throughput|latency --report_json <file>`: the statistics the console
 * report prints, as JSON (tensorrt_llm/bench/dataclasses/reporting.py): `engine` (model, version,
 * backend, dtype, quantization, KV-cache dtype), `world_info` (TP/PP/EP sizes, max batch size),
 * `request_info` (requests, the measured mean of concurrent requests, mean lengths), `performance`
 * (wall time `total_latency_ms`, throughputs, `request_latency_percentiles_ms`), `streaming_metrics`
 * (TTFT and TPOT statistics, only for streamed runs), `decoding_stats` (speculative decoding) and
 * `dataset`. Statistics are `{minimum, maximum, average, p50, p90?, p95, p99}` in ms.
 */
import { messages } from '../../messages.js';
import type { Stat } from '../../model.js';
import { defineFormat } from '../format.js';
import { Fields, isObject, reportUnknownKeys, type Json } from '../json.js';
import { emptyParsed, emptyStat, newRun, type Parsed } from '../types.js';

declare module '../../model.js' {
  interface RunFormats {
    'trtllm-bench-json': true;
  }
}

const ID = 'trtllm-bench-json';
const TOP = new Set(['engine', 'world_info', 'request_info', 'performance', 'streaming_metrics', 'decoding_stats', 'dataset', 'energy']);

/** A statistics object in ms (`{minimum, maximum, average, p50, p90, p95, p99}`), or null. */
function statOf(f: Fields | null): Stat | null {
  if (f === null) return null;
  const stat: Stat = {
    mean: f.num('average'),
    p50: f.num('p50'),
    p90: f.num('p90'),
    p95: f.num('p95'),
    p99: f.num('p99'),
    min: f.num('minimum'),
    max: f.num('maximum'),
  };
  return Object.values(stat).some((v) => v !== null) ? stat : null;
}

function parse(value: Json, file: string): Parsed {
  const out = emptyParsed();
  out.formats.push(ID);
  if (!isObject(value)) return out;
  reportUnknownKeys(value, TOP, file, '', out.messages);
  const top = new Fields(value, file, '', out.messages);
  const engine = top.object('engine');
  const world = top.object('world_info');
  const request = top.object('request_info');
  const perf = top.object('performance');
  const streaming = top.object('streaming_metrics');
  if (perf === null) {
    out.messages.push(messages.wrongType(file, '/performance', 'the performance statistics of the run', 'nothing'));
    return out;
  }
  const run = newRun(file, 0, ID);
  run.model = engine?.str('model') ?? null;
  run.requests = request?.count('num_requests') ?? null;
  // trtllm-bench counts every request it sent; failed ones are not told apart.
  run.completed = run.requests;
  run.inputTokensMean = request?.num('avg_input_length', { nonNegative: true }) ?? null;
  run.outputTokensMean = request?.num('avg_output_length', { nonNegative: true }) ?? null;
  const totalMs = perf.num('total_latency_ms', { nonNegative: true });
  run.durationS = totalMs === null ? null : totalMs / 1000;
  run.requestThroughput = perf.num('request_throughput_req_s', { nonNegative: true });
  run.outputTokenThroughput = perf.num('system_output_throughput_tok_s', { nonNegative: true });
  run.totalTokenThroughput = perf.num('system_total_throughput_tok_s', { nonNegative: true });
  if (run.totalTokenThroughput !== null && run.outputTokenThroughput !== null) run.inputTokenThroughput = run.totalTokenThroughput - run.outputTokenThroughput;
  run.latencyMs = statOf(perf.object('request_latency_percentiles_ms'));
  const avgLatency = perf.num('avg_request_latency_ms', { nonNegative: true });
  if (avgLatency !== null) run.latencyMs = { ...(run.latencyMs ?? emptyStat()), mean: avgLatency };
  if (streaming !== null) {
    run.streaming = true;
    run.ttftMs = statOf(streaming.object('ttft_percentiles'));
    run.tpotMs = statOf(streaming.object('tpot_percentiles'));
    const ttft = streaming.num('avg_ttft_ms');
    if (ttft !== null && run.ttftMs) run.ttftMs.mean ??= ttft;
    const tpot = streaming.num('avg_tpot_ms');
    if (tpot !== null && run.tpotMs) run.tpotMs.mean ??= tpot;
  }
  const meta = (key: string, v: string | number | null | undefined): void => {
    if (v !== null && v !== undefined && v !== 'None') run.metadata[key] = String(v);
  };
  meta('trtllm_version', engine?.str('version'));
  meta('backend', engine?.str('backend'));
  meta('dtype', engine?.str('dtype'));
  meta('quantization', engine?.str('quantization'));
  meta('kv_cache_dtype', engine?.str('kv_cache_dtype'));
  meta('tp_size', world?.num('tp_size'));
  meta('pp_size', world?.num('pp_size'));
  meta('ep_size', world?.num('ep_size'));
  meta('max_batch_size', world?.num('max_batch_size'));
  // The measured mean of requests in flight, not a concurrency setting.
  meta('avg_concurrent_requests', request?.num('avg_num_concurrent_requests'));
  meta('output_tok_s_per_user', perf.num('output_throughput_per_user_tok_s'));
  meta('output_tok_s_per_gpu', perf.num('output_throughput_per_gpu_tok_s'));
  const decoding = top.object('decoding_stats');
  meta('speculative_decoding', decoding?.str('mode'));
  out.runs.push(run);
  return out;
}

export default defineFormat({
  id: ID,
  name: { en: 'trtllm-bench report (JSON)', zh: 'trtllm-bench 报告（JSON）' },
  input: 'json',
  yields: 'runs',
  tool: 'trtllm-bench',
  order: 22,
  checkedOn: {
    en: 'TensorRT-LLM `--report_json` as written by bench/dataclasses/reporting.py (2025–2026); no real file seen',
    zh: '按 TensorRT-LLM bench/dataclasses/reporting.py（2025–2026）写出的 `--report_json`；未见真实文件',
  },
  describes: 'TensorRT-LLM `trtllm-bench throughput|latency --report_json` (`engine`, `world_info`, `request_info`, `performance`, `streaming_metrics`)',
  claims: (v) => isObject(v) && isObject(v['performance']) && ('request_throughput_req_s' in v['performance'] || 'system_output_throughput_tok_s' in v['performance']) && (isObject(v['request_info']) || isObject(v['world_info'])),
  parse,
  provenance: {
    requestThroughput: 'performance.request_throughput_req_s',
    inputTokenThroughput: 'performance.system_total_throughput_tok_s − performance.system_output_throughput_tok_s',
    outputTokenThroughput: 'performance.system_output_throughput_tok_s',
    latency: 'performance.avg_request_latency_ms, performance.request_latency_percentiles_ms',
  },
  metrics: {
    ttft: 'per request, to the first streamed token (streaming runs only)',
    tpot: 'per request, (end − first token) / (output tokens − 1)',
    latency: 'per request; total_latency_ms is the wall time of the run',
    outputTokenThroughput: 'output tokens, the first included, / total latency (last end − first start)',
  },
  definitions: { ttft: 'first-token', tpot: 'per-request-after-first', latency: 'request-e2e', outputTokenThroughput: 'output-tokens-over-duration' },
});
