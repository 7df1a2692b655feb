/**
 * evalscope's accuracy summary table (`run_task` output): a tabulate grid with
 * `task_type | dataset_name | average_score | count` (0.11), or `Model | Dataset | Metric | Subset |
 * Num | Score` (later versions).
 */
import { messages } from '../../messages.js';
import type { AccuracyTask } from '../../model.js';
import { cleanLine, isTableRule, parseNumber, splitLines, tableCells } from '../text.js';
import { emptyParsed, type Parsed } from '../types.js';
import { defineFormat } from '../format.js';

declare module '../../model.js' {
  interface AccuracyFormats {
    'evalscope-eval-table': true;
  }
}

export default defineFormat({
  id: 'evalscope-eval-table',
  name: { en: 'EvalScope eval table', zh: 'EvalScope 评测表' },
  input: 'text',
  yields: 'accuracy',
  order: 50,
  checkedOn: 'EvalScope 0.11',
  describes: 'EvalScope eval’s printed report table (`| Model | Dataset | Metric | Subset | Num | Score |`)',
  claims: (text) =>
    /[|│]\s*task_type\s*[|│]\s*dataset_name\s*[|│]/.test(text) || /[|│]\s*Model\s*[|│]\s*Dataset\s*[|│]\s*Metric\s*[|│]/.test(text),
  parse(text: string, file: string): Parsed {
    const out = emptyParsed();
    const lines = splitLines(text).map((l) => cleanLine(l).text);
    for (let i = 0; i < lines.length; i++) {
      const header = tableCells(lines[i] ?? '')?.map((h) => h.toLowerCase());
      if (!header) continue;
      const cDataset = header.findIndex((h) => h === 'dataset_name' || h === 'dataset');
      const cScore = header.findIndex((h) => h === 'average_score' || h === 'score');
      if (cDataset < 0 || cScore < 0) continue;
      const cCount = header.findIndex((h) => h === 'count' || h === 'num');
      const cMetric = header.findIndex((h) => h === 'metric');
      const cSubset = header.findIndex((h) => h === 'subset');
      const cModel = header.findIndex((h) => h === 'model');
      const tasks: AccuracyTask[] = [];
      let model: string | null = null;
      let j = i + 1;
      for (; j < lines.length; j++) {
        const t = (lines[j] ?? '').trim();
        if (isTableRule(t)) continue;
        const cellsOf = tableCells(t);
        if (!cellsOf) break;
        const raw = cellsOf[cScore] ?? '';
        const value = parseNumber(raw);
        if (value === null) {
          if (raw !== '') out.messages.push(messages.badNumber(file, j + 1, header[cScore] ?? 'score', raw));
          continue;
        }
        const subset = cSubset >= 0 ? cellsOf[cSubset] : undefined;
        const dataset = cellsOf[cDataset] ?? '';
        if (cModel >= 0) model = cellsOf[cModel] ?? model;
        tasks.push({
          task: subset && subset !== 'OVERALL' && subset !== dataset ? `${dataset}/${subset}` : dataset,
          metric: cMetric >= 0 ? (cellsOf[cMetric] ?? 'score') : header[cScore] ?? 'score',
          value,
          stderr: null,
          correct: null,
          total: cCount >= 0 ? parseNumber(cellsOf[cCount] ?? '') : null,
          variant: null,
        });
      }
      if (tasks.length > 0) out.accuracy.push({ file, format: 'evalscope-eval-table', model, tasks });
      i = j;
    }
    if (out.accuracy.length > 0) out.formats.push('evalscope-eval-table');
    return out;
  },
});
