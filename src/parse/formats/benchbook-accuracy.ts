/** benchbook's own accuracy file (`"benchbook": "accuracy"`). */
import { benchbookAccuracy } from '../benchbook.js';
import { defineFormat } from '../format.js';

declare module '../../model.js' {
  interface AccuracyFormats {
    'benchbook-accuracy': true;
  }
}

export default defineFormat({
  id: 'benchbook-accuracy',
  name: { en: 'accuracy figures', zh: '准确率数据' },
  input: 'json',
  yields: 'accuracy',
  order: 60,
  checkedOn: { en: 'benchbook version 1', zh: 'benchbook 第 1 版' },
  describes: 'benchbook’s own accuracy file (`"benchbook": "accuracy"`): per task and variant, a value or correct/total',
  claims: benchbookAccuracy.claims,
  parse: benchbookAccuracy.parse,
});
