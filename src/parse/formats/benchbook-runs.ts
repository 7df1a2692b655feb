/** benchbook's own runs file (`"benchbook": "runs"`): figures transcribed from a report, in the model's own names and units. */
import { benchbookRuns } from '../benchbook.js';
import { defineFormat } from '../format.js';

declare module '../../model.js' {
  interface RunFormats {
    'benchbook-runs': true;
  }
}

export default defineFormat({
  id: 'benchbook-runs',
  name: { en: 'figures transcribed by hand', zh: '手工转录的数据' },
  input: 'json',
  yields: 'runs',
  tool: 'benchbook',
  order: 50,
  checkedOn: { en: 'benchbook version 1', zh: 'benchbook 第 1 版' },
  describes: 'benchbook’s own runs file (`"benchbook": "runs"`): figures transcribed by hand, in the model’s names and units',
  claims: benchbookRuns.claims,
  parse: benchbookRuns.parse,
  provenance: {
    requestThroughput: 'requestThroughput',
    inputTokenThroughput: 'inputTokenThroughput',
    outputTokenThroughput: 'outputTokenThroughput',
    latency: 'latencyMs ÷ 1000',
  },
  metrics: {},
  definitions: {  },
});
