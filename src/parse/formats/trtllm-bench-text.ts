/**
 * TensorRT-LLM `trtllm-bench throughput` / `latency` console reports: `=`-ruled sections (`ENGINE
 * DETAILS` or `PyTorch backend`, `REQUEST DETAILS`, `WORLD + RUNTIME INFORMATION`, `PERFORMANCE
 * OVERVIEW`, `DATASET DETAILS`) of `Key: value` lines, and `[Latency] P50 : …` / `[TTFT] …` /
 * `[TPOT] …` breakdown rows. 0.17 printed one `Token Throughput (tokens/sec)` (output tokens per
 * second), later versions split total, output, per-user and per-GPU throughput. Total latency is the
 * wall time of the run (last end − first start). A file may hold several reports.
 */
import { messages } from '../../messages.js';
import type { Run, Stat } from '../../model.js';
import { defineFormat } from '../format.js';
import { cleanLine, parseNumber, splitLines } from '../text.js';
import { emptyParsed, emptyStat, newRun, type Parsed } from '../types.js';

declare module '../../model.js' {
  interface RunFormats {
    'trtllm-bench-text': true;
  }
}

const ID = 'trtllm-bench-text';
const SECTION = /^=\s+([A-Z][A-Za-z +\-/]+?)\s*$/;
const BREAKDOWN = /^\[(Latency|TTFT|TPOT|GTPS)\]\s+(P\d+|MINIMUM|MAXIMUM|AVERAGE)\s*:\s*(\S+)/;
const PAIR = /^([A-Za-z][^:]*?):\s+(.*?)\s*$/;

/**
 * The PERFORMANCE OVERVIEW lines of every layout (0.17's `Token Throughput`, the later split
 * throughputs, the streaming averages of reporting.py): any other is named as not read.
 */
const PERFORMANCE_KEYS = new Set([
  'Number of requests', 'Average Input Length (tokens)', 'Average Output Length (tokens)', 'Token Throughput (tokens/sec)',
  'Request Throughput (req/sec)', 'Total Output Throughput (tokens/sec)', 'Total Token Throughput (tokens/sec)', 'Total Latency (ms)',
  'Average request latency (ms)', 'Per User Output Throughput (tokens/sec/user)', 'Per GPU Output Throughput (tokens/sec/gpu)',
  'Per User Output Throughput [w/ ctx] (tps/user)', 'Per GPU Output Throughput (tps/gpu)', 'Average time-to-first-token [TTFT] (ms)',
  'Average time-per-output-token [TPOT] (ms)', 'Per User Output Speed (tps/user)', 'Per User Output Speed [1/TPOT] (tokens/sec/user)',
  'Average TTFT (ms)', 'Average TPOT (ms)', 'Average ITL (ms)', 'Per User Output Speed (tokens/sec/user)',
]);

interface Report {
  unknown: { key: string; line: number }[];
  line: number;
  fields: Map<string, { value: string; line: number }>;
  breakdown: Map<string, Partial<Record<string, number>>>;
  sections: Set<string>;
}

function statOf(rows: Partial<Record<string, number>> | undefined): Stat | null {
  if (!rows) return null;
  const v = (k: string) => rows[k] ?? null;
  const stat: Stat = { mean: v('AVERAGE'), p50: v('P50'), p90: v('P90'), p95: v('P95'), p99: v('P99'), min: v('MINIMUM'), max: v('MAXIMUM') };
  return Object.values(stat).some((x) => x !== null) ? stat : null;
}

function runOf(r: Report, index: number, file: string, version: string | null, out: Parsed): Run {
  const run = newRun(file, index, ID);
  run.line = r.line;
  const text = (k: string) => r.fields.get(k)?.value ?? null;
  const num = (k: string): number | null => {
    const f = r.fields.get(k);
    if (!f) return null;
    const n = parseNumber(f.value.replace(/%$/, ''));
    if (n === null && f.value !== 'None') out.messages.push(messages.badNumber(file, f.line, k, f.value));
    return n;
  };
  run.model = text('Model');
  run.requests = num('Number of requests');
  run.completed = run.requests;
  run.inputTokensMean = num('Average Input Length (tokens)');
  run.outputTokensMean = num('Average Output Length (tokens)');
  run.requestThroughput = num('Request Throughput (req/sec)');
  // 0.17's single "Token Throughput" is output tokens per second (request throughput × output length).
  run.outputTokenThroughput = num('Total Output Throughput (tokens/sec)') ?? num('Token Throughput (tokens/sec)');
  run.totalTokenThroughput = num('Total Token Throughput (tokens/sec)');
  const totalMs = num('Total Latency (ms)');
  run.durationS = totalMs === null ? null : totalMs / 1000;
  run.latencyMs = statOf(r.breakdown.get('Latency'));
  const avg = num('Average request latency (ms)');
  if (avg !== null) run.latencyMs = { ...(run.latencyMs ?? emptyStat()), mean: avg };
  run.ttftMs = statOf(r.breakdown.get('TTFT'));
  run.tpotMs = statOf(r.breakdown.get('TPOT'));
  if (run.ttftMs !== null) run.streaming = true;
  for (const [key, meta] of [
    ['Dtype', 'dtype'],
    ['KV Cache Dtype', 'kv_cache_dtype'],
    ['Quantization', 'quantization'],
    ['TP Size', 'tp_size'],
    ['PP Size', 'pp_size'],
    ['Backend', 'backend'],
    ['Number of concurrent requests', 'avg_concurrent_requests'],
    ['Per User Output Throughput (tokens/sec/user)', 'output_tok_s_per_user'],
    ['Scheduling Policy', 'scheduling_policy'],
  ] as const) {
    const v = text(key);
    if (v !== null && v !== 'None') run.metadata[meta] = v;
  }
  const ownVersion = text('TensorRT-LLM Version') ?? version;
  if (ownVersion !== null) run.metadata['trtllm_version'] = ownVersion;
  return run;
}

function parse(text: string, file: string): Parsed {
  const out = emptyParsed();
  out.formats.push(ID);
  const reports: Report[] = [];
  let current: Report | null = null;
  let section: string | null = null;
  let version: string | null = null;
  let concurrencyFlag: number | null = null;
  splitLines(text).forEach((raw, i) => {
    const line = cleanLine(raw).text.replace(/^\[[^\]]*\] \[TRT-LLM\] \[[A-Z]\] ?/, '').trim();
    const v = /TensorRT-LLM version: (\S+)/.exec(line);
    if (v) version = v[1] ?? null;
    const c = /--concurrency[ =](\d+)/.exec(line);
    if (c && /trtllm-bench/.test(line)) concurrencyFlag = Number(c[1]);
    const s = SECTION.exec(line);
    if (s) {
      section = s[1] ?? null;
      // A section seen before in this report, or any but the dataset's after its performance overview, starts the next report.
      const next = current === null || (section !== null && current.sections.has(section)) || (current.sections.has('PERFORMANCE OVERVIEW') && section !== 'DATASET DETAILS');
      const report: Report = next || current === null ? { line: i + 1, fields: new Map(), breakdown: new Map(), sections: new Set(), unknown: [] } : current;
      if (report !== current) reports.push(report);
      current = report;
      if (section !== null) report.sections.add(section);
      return;
    }
    if (current === null || section === null || /^=+$/.test(line) || line === '') return;
    const b = BREAKDOWN.exec(line);
    if (b) {
      const n = parseNumber(b[3] ?? '');
      if (n === null) out.messages.push(messages.badNumber(file, i + 1, `[${b[1]}] ${b[2]}`, b[3] ?? ''));
      else current.breakdown.set(b[1] as string, { ...current.breakdown.get(b[1] as string), [b[2] as string]: n });
      return;
    }
    const p = PAIR.exec(line);
    if (p && section !== 'DATASET DETAILS' && !current.fields.has(p[1] as string)) current.fields.set(p[1] as string, { value: p[2] as string, line: i + 1 });
    if (p && section === 'PERFORMANCE OVERVIEW' && !PERFORMANCE_KEYS.has(p[1] as string)) current.unknown.push({ key: p[1] as string, line: i + 1 });
  });
  for (const r of reports.filter((x) => x.sections.has('PERFORMANCE OVERVIEW'))) {
    const first = r.unknown[0];
    if (first) out.messages.push(messages.unknownFields(file, { line: first.line }, r.unknown.map((u) => u.key)));
    const run = runOf(r, out.runs.length, file, version, out);
    if (concurrencyFlag !== null) run.concurrency = concurrencyFlag;
    out.runs.push(run);
  }
  for (const cut of reports.filter((x) => !x.sections.has('PERFORMANCE OVERVIEW'))) {
    out.messages.push(messages.truncatedBlock(file, cut.line, 'trtllm-bench report (it has no PERFORMANCE OVERVIEW)'));
  }
  return out;
}

export default defineFormat({
  id: ID,
  name: { en: 'trtllm-bench report', zh: 'trtllm-bench 报告' },
  input: 'text',
  yields: 'runs',
  tool: 'trtllm-bench',
  order: 22,
  checkedOn: { en: 'TensorRT-LLM 0.17, ~0.19', zh: 'TensorRT-LLM 0.17、~0.19' },
  describes: 'TensorRT-LLM `trtllm-bench throughput` / `latency` console reports (0.17 and later layouts), several per file',
  claims: (text) => /^[ \t]*=[ \t]+PERFORMANCE OVERVIEW[ \t]*\r?$/m.test(text) && /Request Throughput \(req\/sec\):|Token Throughput \(tokens\/sec\):/.test(text),
  parse,
  provenance: {
    requestThroughput: '"Request Throughput (req/sec)"',
    inputTokenThroughput: '–',
    outputTokenThroughput: ['"Total Output Throughput (tokens/sec)"', '"Token Throughput (tokens/sec)"'],
    latency: '"Average request latency (ms)", "[Latency] P50/P90/P95/P99"',
  },
  metrics: {
    ttft: 'per request, to the first streamed token (streaming runs only)',
    tpot: 'per request, average inter-token latency',
    latency: 'per request; the "Total Latency" is the wall time of the run',
    outputTokenThroughput: 'output tokens, the first included, / total latency (last end − first start)',
  },
  definitions: { ttft: 'first-token', tpot: 'per-request-after-first', latency: 'request-e2e', outputTokenThroughput: 'output-tokens-over-duration' },
});
