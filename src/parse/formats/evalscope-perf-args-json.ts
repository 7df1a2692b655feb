/**
 * EvalScope perf's `benchmark_args.json`, beside `benchmark_summary.json` in each run folder: the
 * run's arguments (`model`, `parallel`, `number`, `rate`, `max_tokens`, `stream`, `dataset`, …).
 * They join the folder's summary run (assemble/join.ts), which names no model of its own. A sweep
 * written before the arguments were split per run keeps lists in `parallel` and `number`: those
 * say nothing of the one run and are not read.
 */
import { messages } from '../../messages.js';
import { ARGS_KEYS } from '../evalscope-perf.js';
import { defineFormat } from '../format.js';
import { isObject, reportUnknownKeys, type Json } from '../json.js';
import { emptyParsed, type Parsed, type RunPart } from '../types.js';

declare module '../../model.js' {
  interface RunFormats {
    'evalscope-perf-args-json': true;
  }
}

const ID = 'evalscope-perf-args-json';

/** Every argument `evalscope perf` has had (evalscope/perf/arguments.py, 2024-11 to 2026-08): what is not one of these is named. */
const ARGS = new Set([
  'api', 'api_key', 'apply_chat_template', 'attn_implementation', 'connect_timeout', 'data_source',
  'dataset', 'dataset_args', 'dataset_offset', 'dataset_path', 'db_commit_interval', 'debug', 'duration',
  'enable_progress_tracker', 'extra_args', 'frequency_penalty', 'headers', 'image_format', 'image_height',
  'image_num', 'image_patch_size', 'image_width', 'in_flight_task_multiplier', 'log_every_n_query',
  'logprobs', 'max_prompt_length', 'max_tokens', 'max_turns', 'min_prompt_length', 'min_tokens', 'min_turns',
  'model', 'model_id', 'multi_turn', 'multi_turn_args', 'n_choices', 'name', 'no_test_connection',
  'no_timestamp', 'num_workers', 'number', 'open_loop', 'outputs_dir', 'parallel', 'port', 'prefix_length',
  'prompt', 'query_template', 'queue_size_multiplier', 'rate', 'read_timeout', 'repetition_penalty', 'seed',
  'sla_auto_tune', 'sla_fixed_parallel', 'sla_lower_bound', 'sla_num_runs', 'sla_number_multiplier',
  'sla_params', 'sla_upper_bound', 'sla_variable', 'sleep_interval', 'stop', 'stop_token_ids', 'stream',
  'swanlab_api_key', 'swanlab_host', 'temperature', 'tokenize_prompt', 'tokenizer_path', 'top_k', 'top_p',
  'total_timeout', 'url', 'visualizer', 'wandb_api_key', 'warmup_num',
]);

/** A whole number ≥ 0, or undefined; anything else of a known key is reported. */
function count(v: Json | undefined, pointer: string, file: string, out: Parsed, lists = false): number | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0) return v;
  if (lists && Array.isArray(v)) return v.length === 1 && typeof v[0] === 'number' ? v[0] : undefined;
  out.messages.push(messages.wrongType(file, pointer, 'a whole number ≥ 0', JSON.stringify(v)));
  return undefined;
}

function parse(value: Json, file: string): Parsed {
  const out = emptyParsed();
  out.formats.push(ID);
  if (!isObject(value)) return out;
  const part: RunPart = { file, completes: 'evalscope-perf-json', holds: 'arguments', runFile: 'benchmark_summary.json' };
  // The model as served (a hub id, or a path); model_id is a display name the user chose.
  const model = typeof value['model'] === 'string' && value['model'] ? value['model'] : value['model_id'];
  if (typeof model === 'string' && model.trim() !== '') part.model = model.trim();
  const set = <K extends 'concurrency' | 'requests' | 'maxTokens'>(key: K, v: number | undefined): void => {
    if (v !== undefined) part[key] = v;
  };
  set('concurrency', count(value['parallel'], '/parallel', file, out, true));
  set('requests', count(value['number'], '/number', file, out, true));
  set('maxTokens', count(value['max_tokens'], '/max_tokens', file, out));
  // A rate of -1 (the default) is no rate: requests are sent as the concurrency allows.
  const rate = value['rate'];
  if (typeof rate === 'number' && rate > 0 && Number.isFinite(rate)) part.requestRate = rate;
  if (typeof value['stream'] === 'boolean') part.streaming = value['stream'];
  const metadata: Record<string, string> = {};
  if (typeof value['dataset'] === 'string') metadata['dataset'] = value['dataset'];
  if (typeof value['api'] === 'string') metadata['api'] = value['api'];
  if (Object.keys(metadata).length > 0) part.metadata = metadata;
  reportUnknownKeys(value, ARGS, file, '', out.messages);
  out.parts = [part];
  return out;
}

export default defineFormat({
  id: ID,
  name: { en: 'EvalScope perf arguments (JSON)', zh: 'EvalScope perf 参数（JSON）' },
  input: 'json',
  yields: 'runs',
  tool: 'evalscope',
  order: 30,
  checkedOn: { en: 'EvalScope 0.x, 1.x `benchmark_args.json`', zh: 'EvalScope 0.x、1.x 的 `benchmark_args.json`' },
  describes: 'EvalScope perf’s `benchmark_args.json`: the model, concurrency, request count and output length of the run whose `benchmark_summary.json` is in the same folder',
  claims: (v) => isObject(v) && ARGS_KEYS.every((k) => k in v),
  parse,
});
