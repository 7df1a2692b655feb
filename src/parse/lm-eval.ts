/**
 * lm-evaluation-harness results: the results JSON of 0.3 (`results.{task}.{acc, acc_stderr}`) and
 * 0.4 (`"metric,filter"` keys, `alias`, `n-shot`, `config.model_args` as a comma string), and the
 * Markdown table it prints at the end of a run.
 */
import { messages } from '../messages.js';
import type { Accuracy, AccuracyTask } from '../model.js';
import { describe, escapePointer, isObject, type Json, type JsonObject } from './json.js';
import { cleanLine, parseNumber, splitLines } from './text.js';
import { emptyParsed, type JsonParser, type Parsed, type TextParser } from './types.js';

function modelFromArgs(modelArgs: string): string | null {
  const m = /(?:^|,)\s*(?:pretrained|model|path|engine)=([^,]+)/.exec(modelArgs);
  return m?.[1]?.trim() ?? null;
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
      for (const [key, v] of Object.entries(metrics)) {
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
          correct: null,
          total: null,
          variant: null,
        });
      }
    }
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
      const head = /^\S+ \((.*)\), gen_kwargs:/.exec(line);
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
          stderr: cStderr >= 0 ? parseNumber(row[cStderr] ?? '') : null,
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
