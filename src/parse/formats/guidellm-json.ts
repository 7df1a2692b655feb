/** GuideLLM `benchmarks.json` (see parse/guidellm.ts): one run per benchmark. */
import { defineFormat } from '../format.js';
import { GUIDELLM_METRICS, GUIDELLM_PROVENANCE, isGuidellmReport, parseGuidellmReport } from '../guidellm.js';

declare module '../../model.js' {
  interface RunFormats {
    'guidellm-json': true;
  }
}

export default defineFormat({
  id: 'guidellm-json',
  name: { en: 'GuideLLM report (JSON)', zh: 'GuideLLM 报告（JSON）' },
  input: 'json',
  yields: 'runs',
  tool: 'guidellm',
  order: 12,
  checkedOn: { en: 'GuideLLM 0.2.x; `metadata.version` 2', zh: 'GuideLLM 0.2.x；`metadata.version` 2' },
  describes: 'GuideLLM `benchmarks.json` of every layout (0.2.x `{benchmarks}`, `{args, benchmarks}`, `metadata.version` 1 and 2 with `config`)',
  claims: isGuidellmReport,
  parse: (value, file) => parseGuidellmReport(value, file, 'guidellm-json'),
  provenance: GUIDELLM_PROVENANCE,
  metrics: GUIDELLM_METRICS,
  definitions: { ttft: 'first-token', tpot: 'per-request-after-first', latency: 'request-e2e', outputTokenThroughput: 'windowed-mean-rate' },
});
