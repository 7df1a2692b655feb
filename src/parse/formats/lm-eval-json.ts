/** lm-evaluation-harness `results_<date>.json`. */
import { defineFormat } from '../format.js';
import { lmEvalJson } from '../lm-eval.js';

declare module '../../model.js' {
  interface AccuracyFormats {
    'lm-eval-json': true;
  }
}

export default defineFormat({
  id: 'lm-eval-json',
  name: { en: 'lm-eval results', zh: 'lm-eval 结果' },
  input: 'json',
  yields: 'accuracy',
  order: 40,
  checkedOn: { en: 'lm-eval 0.3, 0.4.2, 0.4.x (2025, 2026 with `groups`)', zh: 'lm-eval 0.3、0.4.2、0.4.x（2025；2026 带 `groups`）' },
  describes: 'lm-evaluation-harness `results_<date>.json` (`results`, `groups`, `n-samples`, `configs`)',
  claims: lmEvalJson.claims,
  parse: lmEvalJson.parse,
});
