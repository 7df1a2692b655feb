/**
 * lm-evaluation-harness results: the results JSON of 0.3 (`results.{task}.{acc, acc_stderr}`) and
 * 0.4 (`"metric,filter"` keys, `alias`, `n-shot`, `config.model_args` as a comma string), and the
 * Markdown table it prints at the end of a run.
 */
import { messages } from '../messages.js';
import type { Accuracy, AccuracyTask } from '../model.js';
import { describe, escapePointer, isObject, reportUnknownKeys, type Json, type JsonObject } from './json.js';
import { cleanLine, parseNumber, splitLines } from './text.js';
import { emptyParsed, type JsonParser, type Parsed, type TextParser } from './types.js';

/**
 * The model of a `model_args` string in any of the forms lm-eval prints it: `pretrained=org/name,dtype=…`
 * (hf, vllm), `model=…` (API backends), or a Python dict `{'model': '…', 'base_url': …}` (local-chat-completions).
 */
function modelFromArgs(modelArgs: string): string | null {
  const m =
    /(?:^|,)\s*(?:pretrained|model|path|engine)=([^,]+)/.exec(modelArgs) ??
    /["'](?:pretrained|model|path|engine)["']\s*:\s*["']([^"']+)["']/.exec(modelArgs);
  return m?.[1]?.trim() ?? null;
}

/** The top level of a results file, across 0.3 and 0.4.x (lm_eval/result_schema.py). */
const TOP = new Set([
  'results', 'groups', 'group_subtasks', 'configs', 'versions', 'n-shot', 'higher_is_better', 'n-samples', 'config',
  'git_hash', 'date', 'pretty_env_info', 'transformers_version', 'lm_eval_version', 'upper_git_hash',
  'tokenizer_pad_token', 'tokenizer_eos_token', 'tokenizer_bos_token', 'eot_token_id', 'max_length',
  'model_source', 'model_name', 'model_name_sanitized', 'system_instruction', 'system_instruction_sha',
  'fewshot_as_multiturn', 'chat_template', 'chat_template_sha', 'task_hashes', 'start_time', 'end_time',
  'total_evaluation_time_seconds', 'tables', 'samples',
]);

/** Metrics that score each sample 0 or 1: their value times the samples is the count answered right. */
const PER_SAMPLE = new Set(['acc', 'acc_norm', 'exact_match', 'em']);

/** How many samples a task's metric was computed on: its `sample_count` (groups), else the task's `n-samples` effective count. */
function samplesOf(v: JsonObject, task: string, metrics: JsonObject, key: string): number | null {
  const counts = metrics['sample_count'];
  if (isObject(counts) && typeof counts[key] === 'number') return counts[key];
  const n = isObject(v['n-samples']) ? v['n-samples'][task] : undefined;
  return isObject(n) && typeof n['effective'] === 'number' ? n['effective'] : null;
}

/** Correct out of total where the metric scores samples 0/1 and the value times the samples is whole. */
function countsOf(metric: string, value: number, samples: number | null): { correct: number | null; total: number | null } {
  if (samples === null || samples <= 0 || !PER_SAMPLE.has(metric)) return { correct: null, total: null };
  const correct = value * samples;
  return Math.abs(correct - Math.round(correct)) < 1e-6 ? { correct: Math.round(correct), total: samples } : { correct: null, total: null };
}

function modelOf(v: JsonObject): string | null {
  if (typeof v['model_name'] === 'string' && v['model_name']) return v['model_name'];
  const config = v['config'];
  if (isObject(config)) {
    if (typeof config['model_args'] === 'string') {
      const m = modelFromArgs(config['model_args']);
      if (m) return m;
    }
    if (isObject(config['model_args']) && typeof config['model_args']['pretrained'] === 'string') return config['model_args']['pretrained'];
    if (typeof config['model_name'] === 'string') return config['model_name'];
  }
  return null;
}

export const lmEvalJson: JsonParser = {
  claims: (v: Json) =>
    isObject(v) && isObject(v['results']) && ('versions' in v || 'config' in v || 'configs' in v || 'n-shot' in v),
  parse(value: Json, file: string): Parsed {
    const out = emptyParsed();
    out.formats.push('lm-eval-json');
    if (!isObject(value) || !isObject(value['results'])) return out;
    const tasks: AccuracyTask[] = [];
    for (const [task, metrics] of Object.entries(value['results'])) {
      const at = `/results/${escapePointer(task)}`;
      if (!isObject(metrics)) {
        out.messages.push(messages.wrongType(file, at, 'an object of metrics', describe(metrics)));
        continue;
      }
      // 0.4 names every metric "<metric>,<filter>"; its other keys (alias, name, sample_len, sample_count) are not metrics.
      const filtered = Object.keys(metrics).some((k) => k.includes(','));
      for (const [key, v] of Object.entries(metrics)) {
        if (filtered && !key.includes(',')) continue;
        // 0.4 metric keys are "<metric>,<filter>"; their value is a number (a stderr may be "N/A").
        if (key.includes(',') && !key.split(',')[0]?.endsWith('_stderr') && (typeof v !== 'number' || !Number.isFinite(v))) {
          out.messages.push(messages.wrongType(file, `${at}/${escapePointer(key)}`, 'a number', describe(v)));
          continue;
        }
        if (typeof v !== 'number' || key === 'alias') continue;
        const [metric = key, filter] = key.split(',');
        if (metric.endsWith('_stderr')) continue;
        const stderrKey = filter === undefined ? `${metric}_stderr` : `${metric}_stderr,${filter}`;
        const se = metrics[stderrKey];
        tasks.push({
          task,
          metric: key,
          value: v,
          stderr: typeof se === 'number' && Number.isFinite(se) ? se : null,
          ...countsOf(metric, v, samplesOf(value, task, metrics, key)),
          variant: null,
        });
      }
    }
    reportUnknownKeys(value, TOP, file, '', out.messages);
    const acc: Accuracy = { file, format: 'lm-eval-json', model: modelOf(value), tasks };
    out.accuracy.push(acc);
    return out;
  },
};

const TABLE_HEAD = /^\|\s*Tasks?\s*\|\s*Version\s*\|/;

export const lmEvalTable: TextParser = {
  claims: (text) => /^\|\s*Tasks?\s*\|\s*Version\s*\|.*\|\s*Value\s*\|/m.test(text),
  parse(text: string, file: string): Parsed {
    const out = emptyParsed();
    const lines = splitLines(text).map((l) => cleanLine(l).text.trim());
    let model: string | null = null;
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i] ?? '';
      // The run's header: `hf (pretrained=…), gen_kwargs: …` (0.4), `hf-causal (pretrained=…), limit: …` (0.3),
      // `local-chat-completions ({'model': …}), gen_kwargs: …`.
      const head = /^\S+ \((.*)\), (?:gen_kwargs|limit|num_fewshot|batch_size):/.exec(line);
      if (head?.[1]) model = modelFromArgs(head[1]) ?? model;
      if (!TABLE_HEAD.test(line)) continue;
      const header = line.split('|').slice(1, -1).map((c) => c.trim().toLowerCase());
      const col = (name: string): number => header.findIndex((h) => h === name);
      const cTask = Math.max(col('tasks'), col('task'));
      const cFilter = col('filter');
      const cMetric = col('metric');
      const cValue = col('value');
      const cStderr = col('stderr');
      const tasks: AccuracyTask[] = [];
      // "N/A" (or an empty cell) is no stderr; anything else that is no number is said.
      const stderrOf = (cell: string, line: number): number | null => {
        const v = parseNumber(cell);
        if (v === null && cell !== '' && !/^n\/?a$/i.test(cell)) out.messages.push(messages.badNumber(file, line, 'Stderr', cell));
        return v;
      };
      let task = '';
      for (let j = i + 2; j < lines.length && (lines[j] ?? '').startsWith('|'); j++) {
        const row = (lines[j] ?? '').split('|').slice(1, -1).map((c) => c.trim());
        if (row.length !== header.length) {
          out.messages.push(messages.unreadLine(file, j + 1, 'results table row', `${header.length} cells, as in the header`));
          continue;
        }
        task = (row[cTask] ?? '').replace(/^[ -]+/, '') || task;
        const value = parseNumber(row[cValue] ?? '');
        const metric = row[cMetric] ?? '';
        if (metric && value === null && (row[cValue] ?? '') !== '') out.messages.push(messages.badNumber(file, j + 1, 'Value', row[cValue] ?? ''));
        if (value === null || !metric) continue;
        const filter = cFilter >= 0 ? row[cFilter] : undefined;
        tasks.push({
          task,
          metric: filter && filter !== 'none' ? `${metric},${filter}` : metric,
          value,
          stderr: stderrOf(cStderr >= 0 ? (row[cStderr] ?? '') : '', j + 1),
          correct: null,
          total: null,
          variant: null,
        });
      }
      if (tasks.length > 0) out.accuracy.push({ file, format: 'lm-eval-table', model, tasks });
    }
    if (out.accuracy.length > 0) out.formats.push('lm-eval-table');
    return out;
  },
};
