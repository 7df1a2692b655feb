/**
 * The `*.failure.json` `vllm bench sweep serve --continue-on-error` writes where a run (or a server
 * combination) failed: `{run_number?, error_type, error, serve_overrides, bench_overrides?}`. It
 * holds no figures; it is read so that the failure is said, not lost among unrecognised files.
 */
import { messages } from '../../messages.js';
import { defineFormat } from '../format.js';
import { isObject, reportUnknownKeys, type Json } from '../json.js';
import { emptyParsed, type Parsed } from '../types.js';

declare module '../../model.js' {
  interface RunFormats {
    'vllm-sweep-failure': true;
  }
}

const KNOWN = new Set(['run_number', 'error_type', 'error', 'serve_overrides', 'bench_overrides']);

function parse(value: Json, file: string): Parsed {
  const out = emptyParsed();
  out.formats.push('vllm-sweep-failure');
  if (!isObject(value)) return out;
  const params = { ...(isObject(value['serve_overrides']) ? value['serve_overrides'] : {}), ...(isObject(value['bench_overrides']) ? value['bench_overrides'] : {}) };
  const where = Object.entries(params)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(', ');
  const run = typeof value['run_number'] === 'number' ? ` run ${value['run_number']}` : '';
  out.messages.push(messages.sweepFailure(file, `${where || 'default parameters'}${run}: ${String(value['error_type'] ?? 'error')}: ${String(value['error'] ?? '')}`));
  reportUnknownKeys(value, KNOWN, file, '', out.messages);
  return out;
}

export default defineFormat({
  id: 'vllm-sweep-failure',
  name: { en: 'vllm bench sweep failure', zh: 'vllm bench sweep 失败记录' },
  input: 'json',
  yields: 'runs',
  tool: 'vllm',
  order: 23,
  checkedOn: { en: '`vllm bench sweep serve` source (2026); no real tree seen', zh: '按 `vllm bench sweep serve` 源码（2026）；未见真实输出目录' },
  describes: '`vllm bench sweep serve --continue-on-error` `*.failure.json`: a run that failed, said as an error naming its parameters',
  claims: (v) => isObject(v) && typeof v['error_type'] === 'string' && 'error' in v && 'serve_overrides' in v,
  parse,
});
