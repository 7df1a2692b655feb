/**
 * GuideLLM `benchmarks.yaml`: the same report as `benchmarks.json` written as YAML (`---` first,
 * null as an empty value); read into the same shape and parsed as the JSON is.
 */
import { parseDocument } from 'yaml';
import { messages } from '../../messages.js';
import type { Json } from '../json.js';
import { defineFormat } from '../format.js';
import { GUIDELLM_METRICS, GUIDELLM_PROVENANCE, isGuidellmReport, parseGuidellmReport } from '../guidellm.js';
import { emptyParsed } from '../types.js';

declare module '../../model.js' {
  interface RunFormats {
    'guidellm-yaml': true;
  }
}

const ID = 'guidellm-yaml';

export default defineFormat({
  id: ID,
  name: { en: 'GuideLLM report (YAML)', zh: 'GuideLLM 报告（YAML）' },
  input: 'text',
  yields: 'runs',
  tool: 'guidellm',
  order: 12,
  checkedOn: 'GuideLLM 0.2.x',
  describes: 'GuideLLM `benchmarks.yaml`, the YAML form of `benchmarks.json`',
  // A top-level `benchmarks:` list whose items hold `metrics:` (0.2.x starts with it; later ones with `metadata:`).
  claims: (text) => !/^\s*[{[]/.test(text) && /^benchmarks:[ \t]*\r?$/m.test(text) && /^[ \t]+metrics:[ \t]*\r?$/m.test(text),
  parse(text, file) {
    const doc = parseDocument(text, { uniqueKeys: false });
    if (doc.errors.length > 0) {
      const out = emptyParsed();
      out.formats.push(ID);
      const err = doc.errors[0];
      out.messages.push(messages.unreadLine(file, err?.linePos?.[0]?.line ?? 1, 'the YAML report', `valid YAML (${err?.message.split('\n')[0] ?? 'a syntax error'})`));
      return out;
    }
    const value = doc.toJS() as Json;
    if (!isGuidellmReport(value)) {
      const out = emptyParsed();
      out.formats.push(ID);
      return out;
    }
    return parseGuidellmReport(value, file, ID);
  },
  provenance: GUIDELLM_PROVENANCE,
  metrics: GUIDELLM_METRICS,
  definitions: { ttft: 'first-token', tpot: 'per-request-after-first', latency: 'request-e2e', outputTokenThroughput: 'windowed-mean-rate' },
});
