/**
 * GuideLLM `benchmarks.csv` (guidellm/benchmark/outputs/csv.py): three header rows — a group
 * (`Request Latency`, `Time to First Token`, `Token Throughput`, …), a field with its status and
 * unit (`Successful ms`, `Successful Output Tokens/Sec`) and a statistic (`Mean`, `Median`,
 * `Std Dev`, `Percentiles`) — then one row per benchmark. `Percentiles` is one cell, `[min, p001,
 * p01, p05, p10, p25, p75, p90, p95, p99, max]`. Settings are JSON in cells (`Run Info`/`Profile`,
 * `Runtime Info`/`Arguments`). One run per benchmark, labelled by its strategy as in the JSON report;
 * figures of successful requests, with GuideLLM's ITL shown as TPOT as everywhere.
 */
import { messages } from '../../messages.js';
import type { Run, Stat } from '../../model.js';
import { GUIDELLM_METRICS } from '../guidellm.js';
import { defineFormat } from '../format.js';
import { isObject, type Json, type JsonObject } from '../json.js';
import { csvFields, parseNumber, splitLines } from '../text.js';
import { emptyParsed, newRun, secondsToMs, type Parsed } from '../types.js';

declare module '../../model.js' {
  interface RunFormats {
    'guidellm-csv': true;
  }
}

const ID = 'guidellm-csv';
/** The groups of the CSV's first header row; modality groups (`Text Tokens`, `Image Pixels`, …) besides. */
const GROUPS = new Set([
  'Run Info', 'Benchmark', 'Timings', 'Request Counts', 'Request Latency', 'Streaming Iterations', 'Time to First Token',
  'Time per Output Token', 'Inter Token Latency', 'Server Throughput', 'Token Metrics', 'Token Throughput', 'Token Streaming',
  'Scheduler State', 'Scheduler Metrics', 'Runtime Info',
]);
const MODALITY = /^(Text|Image|Video|Audio) /;
/** Positions in the `Percentiles` cell. */
const AT = { min: 0, p90: 7, p95: 8, p99: 9, max: 10 } as const;

interface Table {
  /** Column index by `group|field|stat`. */
  columns: Map<string, number>;
  groups: string[];
  rows: { cells: string[]; line: number }[];
}

function tableOf(text: string): Table | null {
  const lines = splitLines(text);
  const first = lines.findIndex((l) => l.trim() !== '');
  if (first < 0) return null;
  const head = [0, 1, 2].map((k) => csvFields(lines[first + k] ?? ''));
  const [groups, fields, stats] = head as [string[], string[], string[]];
  if (!groups.includes('Request Latency') || !stats.includes('Mean')) return null;
  const columns = new Map<string, number>();
  groups.forEach((g, c) => {
    const key = `${g}|${fields[c] ?? ''}|${stats[c] ?? ''}`;
    if (!columns.has(key)) columns.set(key, c);
  });
  const rows: Table['rows'] = [];
  for (let i = first + 3; i < lines.length; i++) if ((lines[i] ?? '').trim() !== '') rows.push({ cells: csvFields(lines[i] ?? ''), line: i + 1 });
  return { columns, groups, rows };
}

function jsonCell(raw: string | undefined): JsonObject | null {
  if (!raw || !raw.trim().startsWith('{')) return null;
  try {
    const v = JSON.parse(raw) as Json;
    return isObject(v) ? v : null;
  } catch {
    return null;
  }
}

/** A model named in a settings cell: its `model`, or one level down (`backend_kwargs.model`). */
function modelIn(obj: JsonObject | null): string | null {
  if (!obj) return null;
  if (typeof obj['model'] === 'string' && obj['model']) return obj['model'];
  for (const v of Object.values(obj)) if (isObject(v) && typeof v['model'] === 'string' && v['model']) return v['model'];
  return null;
}

function parse(text: string, file: string): Parsed {
  const out = emptyParsed();
  out.formats.push(ID);
  const table = tableOf(text);
  if (!table) return out;
  const odd = [...new Set(table.groups.filter((g) => g !== '' && !GROUPS.has(g) && !MODALITY.test(g)))];
  if (odd.length > 0) out.messages.push(messages.unknownFields(file, { line: 1 }, odd));
  /** Per strategy type, how many benchmarks of it came before: the index into the profile's list. */
  const seen = new Map<string, number>();
  table.rows.forEach(({ cells, line }, index) => {
    const cell = (key: string): string | undefined => {
      const c = table.columns.get(key);
      return c === undefined ? undefined : cells[c];
    };
    const num = (key: string): number | null => {
      const raw = cell(key);
      if (raw === undefined || raw.trim() === '' || raw === 'None') return null;
      const v = parseNumber(raw);
      if (v === null) out.messages.push(messages.badNumber(file, line, key.replace(/\|+$/, '').replace(/\|/g, ' / '), raw));
      return v;
    };
    /** A statistic of successful requests: Mean, Median and the Percentiles cell, scaled to ms. */
    const stat = (group: string, unit: string, scale: (v: number) => number): Stat | null => {
      const at = `${group}|Successful ${unit}|`;
      const pct = cell(`${at}Percentiles`);
      const list = pct ? pct.replace(/^\[|\]$/g, '').split(',').map((x) => parseNumber(x.trim())) : [];
      const pick = (i: number): number | null => {
        const v = list[i];
        return v === undefined || v === null ? null : scale(v);
      };
      const mean = num(`${at}Mean`);
      const median = num(`${at}Median`);
      const s: Stat = { mean: mean === null ? null : scale(mean), p50: median === null ? null : scale(median), p90: pick(AT.p90), p95: pick(AT.p95), p99: pick(AT.p99), min: pick(AT.min), max: pick(AT.max) };
      return Object.values(s).some((v) => v !== null) ? s : null;
    };
    const run: Run = newRun(file, index, ID);
    run.line = line;
    run.streaming = true;
    const strategy = cell('Benchmark|Strategy|') ?? null;
    const profile = jsonCell(cell('Run Info|Profile|'));
    if (strategy) {
      run.metadata['strategy'] = strategy;
      const k = seen.get(strategy) ?? 0;
      seen.set(strategy, k + 1);
      const list = (name: string): number | null => {
        const v = profile?.[name];
        const x = Array.isArray(v) ? v[k] : typeof v === 'number' && k === 0 ? v : undefined;
        return typeof x === 'number' ? x : null;
      };
      if (strategy === 'synchronous') run.concurrency = 1;
      if (strategy === 'concurrent') run.concurrency = list('streams');
      if ((strategy === 'constant' || strategy === 'poisson') && profile?.['type_'] !== 'sweep') run.requestRate = list('rate');
      if (strategy === 'throughput') run.metadata['request_rate'] = 'inf';
    }
    run.model = modelIn(jsonCell(cell('Run Info|Backend|'))) ?? modelIn(jsonCell(cell('Runtime Info|Arguments|')));
    const version = jsonCell(cell('Runtime Info|Metadata|'))?.['guidellm_version'];
    if (typeof version === 'string') run.metadata['guidellm_version'] = version;
    run.durationS = num('Timings|Duration|Sec');
    run.completed = num('Request Counts|Successful|');
    run.failed = num('Request Counts|Errored|');
    run.requests = num('Request Counts|Total|');
    const incomplete = num('Request Counts|Incomplete|');
    if (incomplete) run.metadata['incomplete'] = String(incomplete);
    run.latencyMs = stat('Request Latency', 'Sec', secondsToMs);
    run.ttftMs = stat('Time to First Token', 'ms', (v) => v);
    // GuideLLM's ITL excludes the first token, per request: what vLLM calls TPOT; its "time per output token" includes it.
    run.tpotMs = stat('Inter Token Latency', 'ms', (v) => v);
    run.msPerOutputToken = num('Time per Output Token|Successful ms|Mean');
    run.requestThroughput = num('Server Throughput|Successful Requests/Sec|Mean');
    run.inputTokensMean = num('Token Metrics|Successful Input Tokens|Mean');
    run.outputTokensMean = num('Token Metrics|Successful Output Tokens|Mean');
    run.inputTokenThroughput = num('Token Throughput|Successful Input Tokens/Sec|Mean');
    run.outputTokenThroughput = num('Token Throughput|Successful Output Tokens/Sec|Mean');
    run.totalTokenThroughput = num('Token Throughput|Successful Total Tokens/Sec|Mean');
    if (run.completed === 0) out.messages.push(messages.zeroRequests(file, { line }));
    out.runs.push(run);
  });
  return out;
}

export default defineFormat({
  id: ID,
  name: { en: 'GuideLLM report (CSV)', zh: 'GuideLLM 报告（CSV）' },
  input: 'text',
  yields: 'runs',
  tool: 'guidellm',
  order: 21,
  checkedOn: {
    en: 'GuideLLM `benchmarks.csv` of the outputs/csv.py writer (three header rows; 2025-12 to 2026); the 0.2.x CSV not seen',
    zh: 'GuideLLM outputs/csv.py 写出的 `benchmarks.csv`（三行表头；2025-12 至 2026）；未见 0.2.x 的 CSV',
  },
  describes: 'GuideLLM `benchmarks.csv`: three header rows (group, status and unit, statistic), one row per benchmark',
  claims: (text) => tableOf(text.slice(0, 1 << 16)) !== null,
  parse,
  provenance: {
    requestThroughput: 'Server Throughput / Successful Requests/Sec / Mean',
    inputTokenThroughput: 'Token Throughput / Successful Input Tokens/Sec / Mean',
    outputTokenThroughput: 'Token Throughput / Successful Output Tokens/Sec / Mean',
    latency: 'Request Latency / Successful Sec / Mean, Median, Percentiles × 1000',
  },
  metrics: GUIDELLM_METRICS,
  definitions: { ttft: 'first-token', tpot: 'per-request-after-first', latency: 'request-e2e', outputTokenThroughput: 'windowed-mean-rate' },
});
