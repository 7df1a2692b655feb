/** lm-evaluation-harness's printed results table. */
import { defineFormat } from '../format.js';
import { lmEvalTable } from '../lm-eval.js';

declare module '../../model.js' {
  interface AccuracyFormats {
    'lm-eval-table': true;
  }
}

export default defineFormat({
  id: 'lm-eval-table',
  name: { en: 'lm-eval results table', zh: 'lm-eval 结果表' },
  input: 'text',
  yields: 'accuracy',
  order: 40,
  checkedOn: 'lm-eval 0.4.x',
  describes: 'lm-evaluation-harness’s printed results table (`|Tasks|Version|Filter|n-shot|Metric|…`)',
  claims: lmEvalTable.claims,
  parse: lmEvalTable.parse,
});
