/**
 * Triton `perf_analyzer` console output, which genai-perf prints beneath its own table: per load
 * level a block `Request concurrency: 4` (or `Request Rate: 10 inference requests per seconds`)
 * with a `Client:` part of `Request count`, `Throughput: … infer/sec`, `Avg latency: … usec
 * (standard deviation … usec)` and `p50/p90/p95/p99 latency: … usec`. One run per block, labelled by
 * its concurrency or rate; latencies in µs become ms. It counts requests, not tokens.
 */
import { messages } from '../../messages.js';
import type { Run, Stat } from '../../model.js';
import { defineFormat } from '../format.js';
import { parseNumber, splitLines } from '../text.js';
import { emptyParsed, emptyStat, newRun, type Parsed } from '../types.js';

declare module '../../model.js' {
  interface RunFormats {
    'perf-analyzer-text': true;
  }
}

const ID = 'perf-analyzer-text';
const LEVEL = /^\s*(?:Request concurrency: (\d+)|Request Rate: ([\d.]+) inference requests per seconds?)\s*$/;
const FIELD = /^\s+(Request count|Throughput|Response Throughput|Avg latency|p(\d+) latency|Avg (?:HTTP|gRPC) time):\s*(\S+)/;
const UNIT = /(usec|msec|sec)\b/;

function toMs(v: number, unit: string | undefined): number {
  return unit === 'sec' ? v * 1000 : unit === 'msec' ? v : v / 1000;
}

function parse(text: string, file: string): Parsed {
  const out = emptyParsed();
  out.formats.push(ID);
  const model = /perf_analyzer\b[^\n]*?\s-m[ =]['"]?([^\s'"]+)/.exec(text)?.[1] ?? null;
  let run: Run | null = null;
  let client = false;
  splitLines(text).forEach((raw, i) => {
    const level = LEVEL.exec(raw);
    if (level) {
      run = newRun(file, out.runs.length, ID);
      run.line = i + 1;
      run.model = model;
      if (level[1] !== undefined) run.concurrency = Number(level[1]);
      if (level[2] !== undefined) run.requestRate = Number(level[2]);
      out.runs.push(run);
      client = false;
      return;
    }
    if (!run) return;
    if (/^\s+Client:\s*$/.test(raw)) {
      client = true;
      return;
    }
    if (/^\s+Server:\s*$/.test(raw) || /^\S/.test(raw)) {
      client = false;
      return;
    }
    const f = client ? FIELD.exec(raw) : null;
    if (!f) return;
    const r: Run = run;
    const v = parseNumber(f[3] ?? '');
    if (v === null) {
      out.messages.push(messages.badNumber(file, i + 1, f[1] ?? '', f[3] ?? ''));
      return;
    }
    const unit = UNIT.exec(raw.slice(raw.indexOf(f[3] ?? '')))?.[1];
    const stat = (edit: (s: Stat) => void): void => {
      const s = r.latencyMs ?? emptyStat();
      edit(s);
      r.latencyMs = s;
    };
    switch (f[1]) {
      case 'Request count':
        r.completed = v;
        break;
      case 'Throughput':
        r.requestThroughput = v;
        break;
      case 'Response Throughput':
        // Streamed responses per second: more than one a request when the server streams.
        r.metadata['response_throughput'] = String(v);
        r.streaming = true;
        break;
      case 'Avg latency':
        stat((s) => (s.mean = toMs(v, unit)));
        break;
      default:
        if (f[2] !== undefined) {
          const p = Number(f[2]);
          stat((s) => {
            if (p === 50) s.p50 = toMs(v, unit);
            else if (p === 90) s.p90 = toMs(v, unit);
            else if (p === 95) s.p95 = toMs(v, unit);
            else if (p === 99) s.p99 = toMs(v, unit);
          });
        }
    }
  });
  for (const r of out.runs as Run[]) {
    if (r.completed !== null && r.requestThroughput) r.durationS = r.completed / r.requestThroughput;
    if (r.requestThroughput === null) out.messages.push(messages.truncatedBlock(file, r.line ?? 1, 'perf_analyzer block (no client Throughput line)'));
  }
  return out;
}

export default defineFormat({
  id: ID,
  name: { en: 'perf_analyzer output', zh: 'perf_analyzer 输出' },
  input: 'text',
  yields: 'runs',
  tool: 'perf_analyzer',
  order: 14,
  checkedOn: { en: 'Triton perf_analyzer 2.x (as printed by genai-perf 0.0.x), concurrency and request-rate modes', zh: 'Triton perf_analyzer 2.x（genai-perf 0.0.x 打印），并发与请求速率两种模式' },
  describes: 'Triton `perf_analyzer` console blocks (`Request concurrency: N`, client `Throughput`, latencies in usec)',
  claims: (text) => /^[ \t]*(?:Request concurrency: \d+|Request Rate: [\d.]+ inference requests per second)/m.test(text) && /^[ \t]+Throughput: [\d.]+ infer\/sec/m.test(text),
  parse,
  provenance: {
    requestThroughput: 'Client "Throughput: … infer/sec"',
    inputTokenThroughput: '–',
    outputTokenThroughput: '–',
    latency: 'Client "Avg latency", "pNN latency" (usec ÷ 1000)',
  },
  metrics: {
    latency: 'per request, send to the last response, measured by the client',
  },
  definitions: { latency: 'request-e2e' },
});
