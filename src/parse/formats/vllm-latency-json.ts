/**
 * `vllm bench latency --output-json` (and `benchmarks/benchmark_latency.py` before it): the latency
 * of one offline batch per iteration, in seconds: `{avg_latency, latencies[], percentiles{"10", "25",
 * "50", "75", "90", "99"}}`.
 */
import { statOrNull } from '../../model.js';
import { defineFormat } from '../format.js';
import { Fields, isObject, reportUnknownKeys, type Json } from '../json.js';
import { emptyParsed, emptyStat, newRun, secondsToMs, type Parsed } from '../types.js';

declare module '../../model.js' {
  interface RunFormats {
    'vllm-latency-json': true;
  }
}

const LATENCY_KEYS = new Set(['avg_latency', 'latencies', 'percentiles']);

/** How `vllm bench latency` defines its figure, for its JSON and its printout alike. */
export const LATENCY_METRICS = {
  latency: 'vllm bench latency: the time one whole batch (batch size × input → output tokens) takes, per iteration; not a per-request latency',
};

function parseLatency(value: Json, file: string): Parsed {
  const out = emptyParsed();
  out.formats.push('vllm-latency-json');
  if (!isObject(value)) return out;
  const f = new Fields(value, file, '', out.messages);
  const run = newRun(file, 0, 'vllm-latency-json');
  const stat = emptyStat();
  const avg = f.num('avg_latency', { nonNegative: true });
  stat.mean = avg === null ? null : secondsToMs(avg);
  const pct = f.object('percentiles');
  const at = (p: string): number | null => {
    const v = pct?.has(p) ? pct.num(p, { nonNegative: true }) : null;
    return v === null ? null : secondsToMs(v);
  };
  stat.p50 = at('50');
  stat.p90 = at('90');
  stat.p99 = at('99');
  const all = f.numbers('latencies');
  if (all && all.length > 0) {
    // A loop, not Math.min(...all): the array is as long as the file makes it.
    let min = Infinity;
    let max = -Infinity;
    for (const v of all) {
      if (v < min) min = v;
      if (v > max) max = v;
    }
    stat.min = secondsToMs(min);
    stat.max = secondsToMs(max);
    run.metadata['iterations'] = String(all.length);
  }
  run.latencyMs = statOrNull(stat);
  reportUnknownKeys(value, LATENCY_KEYS, file, '', out.messages);
  out.runs.push(run);
  return out;
}

export default defineFormat({
  id: 'vllm-latency-json',
  name: { en: 'vllm bench latency result', zh: 'vllm bench latency 结果' },
  input: 'json',
  yields: 'runs',
  tool: 'vllm',
  order: 22,
  checkedOn: { en: 'keys of vLLM’s `benchmark_latency.py` source; no real file seen', zh: '按 vLLM `benchmark_latency.py` 源码中的键名；未见真实文件' },
  describes: '`vllm bench latency --output-json` / `benchmark_latency.py --output-json` (offline engine; each latency one whole batch)',
  claims: (v) => isObject(v) && 'avg_latency' in v && ('percentiles' in v || 'latencies' in v),
  parse: parseLatency,
  provenance: {
    requestThroughput: '–',
    inputTokenThroughput: '–',
    outputTokenThroughput: '–',
    latency: 'avg_latency, percentiles["50"|"90"|"99"] (s)',
  },
  metrics: LATENCY_METRICS,
  definitions: { latency: 'offline-batch' },
});
