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
  input: 'json',
  yields: 'runs',
  order: 50,
  describes: 'benchbook’s own runs file (`"benchbook": "runs"`): figures transcribed by hand, in the model’s names and units',
  claims: benchbookRuns.claims,
  parse: benchbookRuns.parse,
  provenance: {
    requestThroughput: 'requestThroughput',
    inputTokenThroughput: 'inputTokenThroughput',
    outputTokenThroughput: 'outputTokenThroughput',
    latency: 'latencyMs',
  },
  metrics: {},
});
