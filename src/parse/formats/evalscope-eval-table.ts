/** EvalScope eval's printed report table. */
import { evalscopeEvalTable } from '../evalscope-eval.js';
import { defineFormat } from '../format.js';

declare module '../../model.js' {
  interface AccuracyFormats {
    'evalscope-eval-table': true;
  }
}

export default defineFormat({
  id: 'evalscope-eval-table',
  input: 'text',
  yields: 'accuracy',
  order: 50,
  describes: 'EvalScope eval’s printed report table (`| Model | Dataset | Metric | Subset | Num | Score |`)',
  claims: evalscopeEvalTable.claims,
  parse: evalscopeEvalTable.parse,
});
