/** Per-question accuracy records, one JSON object a line (`question`, `answer`, `correct`, …). */
import { claimsQuestions, parseQuestions } from '../benchbook.js';
import { defineFormat } from '../format.js';
import { emptyParsed } from '../types.js';

declare module '../../model.js' {
  interface AccuracyFormats {
    'benchbook-questions': true;
  }
}

export default defineFormat({
  id: 'benchbook-questions',
  name: { en: 'per-question answers', zh: '逐题答案' },
  input: 'json',
  yields: 'accuracy',
  order: 5,
  checkedOn: { en: 'benchbook version 1', zh: 'benchbook 第 1 版' },
  describes: 'per-question accuracy records as JSON Lines (`id`, `question`, `answer`, `correct`, optional `task`, `variant`)',
  // Never one object: only a file of several records.
  claims: () => false,
  parse: () => emptyParsed(),
  records: {
    shapes: ['lines'],
    claims: claimsQuestions,
    parse: (records, file) => parseQuestions(records.map((r) => ({ value: r.value, line: r.line ?? 0 })), file),
  },
});
