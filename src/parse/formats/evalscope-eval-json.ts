/**
 * EvalScope 1.x eval report (`<model>/<dataset>.json` under its output folder): `model_name`, `dataset_name` /
 * `dataset_pretty_name`, an overall `score`, and `metrics[]` each with `name`, `num` (samples),
 * `score`, `macro_score` and `categories[{name: [...], subsets[{name, score, num}]}]`. One accuracy
 * task per metric. A metric's correct count is said only where score × samples is a whole number
 * (prompt-level metrics); an instruction-level score is over instructions, not the samples counted.
 * The report's `perf_metrics` (latency of the evaluation's own requests, in seconds) is not a
 * benchmark and is left out.
 */
import { messages } from '../../messages.js';
import type { AccuracyTask } from '../../model.js';
import { defineFormat } from '../format.js';
import { Fields, isObject, type Json, reportUnknownKeys } from '../json.js';
import { emptyParsed, type Parsed } from '../types.js';

declare module '../../model.js' {
  interface AccuracyFormats {
    'evalscope-eval-json': true;
  }
}

const ID = 'evalscope-eval-json';
const KNOWN = new Set(['name', 'dataset_name', 'dataset_pretty_name', 'dataset_description', 'model_name', 'score', 'metrics', 'analysis', 'perf_metrics', 'num']);

function parse(value: Json, file: string): Parsed {
  const out = emptyParsed();
  out.formats.push(ID);
  if (!isObject(value)) return out;
  const f = new Fields(value, file, '', out.messages);
  const task = f.str('dataset_pretty_name') ?? f.str('dataset_name') ?? 'eval';
  const tasks: AccuracyTask[] = [];
  const metrics = Array.isArray(value['metrics']) ? value['metrics'] : [];
  metrics.forEach((m, i) => {
    if (!isObject(m)) {
      out.messages.push(messages.wrongType(file, `/metrics/${i}`, 'a metric object', typeof m));
      return;
    }
    const mf = new Fields(m, file, `/metrics/${i}`, out.messages);
    const score = mf.num('score', { nonNegative: true });
    if (score === null) return;
    if (score > 1) out.messages.push(messages.wrongType(file, `/metrics/${i}/score`, 'a fraction from 0 to 1', String(score)));
    const num = mf.count('num');
    const correct = num !== null && Math.abs(score * num - Math.round(score * num)) < 1e-6 ? Math.round(score * num) : null;
    tasks.push({ task, metric: mf.str('name') ?? 'score', value: Math.min(score, 1), stderr: null, correct, total: correct === null ? null : num, variant: null });
  });
  reportUnknownKeys(value, KNOWN, file, '', out.messages);
  if (tasks.length > 0) out.accuracy.push({ file, format: ID, model: f.str('model_name'), tasks });
  return out;
}

export default defineFormat({
  id: ID,
  name: { en: 'EvalScope eval report', zh: 'EvalScope 评测报告' },
  input: 'json',
  yields: 'accuracy',
  order: 55,
  checkedOn: { en: 'EvalScope 1.x reports', zh: 'EvalScope 1.x 评测报告' },
  describes: 'EvalScope 1.x eval report (`<model>/<dataset>.json` under its output folder): one task per metric',
  claims: (v) => isObject(v) && 'dataset_name' in v && 'model_name' in v && Array.isArray(v['metrics']) && 'score' in v,
  parse,
});
