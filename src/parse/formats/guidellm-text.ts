/**
 * GuideLLM's console report (`guidellm benchmark` / `from-file`): a `Benchmarks Metadata:` block
 * (`Worker: … backend_model='…'`) and the `Benchmarks Info:` / `Benchmarks Stats:` pipe tables, whose
 * first header row names column groups that span as many columns as the pipes after them (`Req
 * Latency (sec) |||`: three), the second row the columns (`mean`, `median`, `p99`). One run per
 * benchmark row (a strategy: synchronous, throughput, constant@rate, …); the two tables joined by it.
 * Units as the headers say; GuideLLM's ITL is shown as TPOT and its TPOT as ms per output token
 * (see parse/guidellm.ts). The later console prints titled tables instead (parseTitled).
 */
import { messages } from '../../messages.js';
import type { Run, Stat } from '../../model.js';
import { defineFormat } from '../format.js';
import { GUIDELLM_METRICS } from '../guidellm.js';
import { parseNumber, splitLines, stripAnsi } from '../text.js';
import { emptyParsed, newRun, type Parsed } from '../types.js';

declare module '../../model.js' {
  interface RunFormats {
    'guidellm-text': true;
  }
}

const ID = 'guidellm-text';

/** A table's column names, "<group> / <column>", from its two header rows. */
export function columnsOf(groups: string, columns: string): string[] {
  const cols = columns.split('|').map((c) => c.trim());
  const out: string[] = [];
  const parts = [...groups.matchAll(/([^|]*?)\s*(\|+|$)/g)].filter((m) => m[0] !== '');
  for (const [i, m] of parts.entries()) {
    const name = (m[1] ?? '').trim();
    const last = i === parts.length - 1;
    const span = last ? Math.max(1, cols.length - out.length) : (m[2] ?? '').length;
    for (let k = 0; k < span && out.length < cols.length; k++) out.push(`${name} / ${cols[out.length]}`);
  }
  return out;
}

interface Table {
  columns: string[];
  rows: Map<string, { cells: string[]; line: number }>;
}

/** The pipe table after `title` (its two header rows, a rule, the rows up to the closing `===`). */
function tableAfter(lines: string[], title: string): Table | null {
  const start = lines.findIndex((l) => l.trim() === title);
  if (start < 0) return null;
  let i = start + 1;
  while (i < lines.length && /^=+$/.test((lines[i] ?? '').trim())) i++;
  const groups = lines[i] ?? '';
  const header = lines[i + 1] ?? '';
  if (!groups.includes('|') || !header.includes('|')) return null;
  const columns = columnsOf(groups, header);
  const rows = new Map<string, { cells: string[]; line: number }>();
  for (let j = i + 2; j < lines.length; j++) {
    const l = (lines[j] ?? '').trim();
    if (/^=+$/.test(l) || l === '') break;
    if (/^[-|]+$/.test(l)) continue;
    const cells = l.split('|').map((c) => c.trim());
    rows.set(cells[0] ?? '', { cells, line: j + 1 });
  }
  return { columns, rows };
}

/**
 * The cells of a row of the later console's tables (`| a | b || c |`): a cell of zero width is
 * the continuation of a header spanning the columns before it (null), a blank cell is ''.
 */
function spanCells(line: string): (string | null)[] {
  const t = line.trim();
  return t.slice(1, -1).split('|').map((c) => (c === '' ? null : c.trim()));
}

/** A titled table of the later console: `ℹ <title>`, `|===|`, three header rows, `|---|`, rows, `|===|`. */
interface TitledTable {
  title: string;
  /** "<group> / <name> / <stat>" per column, spans filled in. */
  columns: string[];
  rows: { cells: string[]; line: number }[];
}

function titledTables(lines: string[]): TitledTable[] {
  const tables: TitledTable[] = [];
  for (let i = 0; i + 1 < lines.length; i++) {
    const title = /^\s*(?:ℹ\s*)?([A-Z][A-Za-z ]+Statistics(?: \([A-Za-z ]+\))?|Run Summary Info)\s*$/.exec(lines[i] ?? '')?.[1];
    if (!title || !/^\|=+(\|=+)*\|\s*$/.test((lines[i + 1] ?? '').trim())) continue;
    const header: (string | null)[][] = [];
    let j = i + 2;
    for (; j < lines.length && !/^\|-+(\|-+)*\|\s*$/.test((lines[j] ?? '').trim()); j++) {
      if (!(lines[j] ?? '').trim().startsWith('|')) break;
      header.push(spanCells(lines[j] ?? ''));
    }
    const width = header[0]?.length ?? 0;
    if (width === 0 || header.some((h) => h.length !== width)) continue;
    // A zero-width cell continues the header before it, in its row.
    const filled = header.map((h) => {
      const row: string[] = [];
      h.forEach((c, k) => row.push(c === null ? (row[k - 1] ?? '') : c));
      return row;
    });
    const columns = Array.from({ length: width }, (_, k) => filled.map((r) => r[k] ?? '').join(' / '));
    const rows: TitledTable['rows'] = [];
    for (j = j + 1; j < lines.length; j++) {
      const l = (lines[j] ?? '').trim();
      if (!l.startsWith('|') || /^\|=+/.test(l)) break;
      const cells = spanCells(l).map((c) => c ?? '');
      if (cells.length === width) rows.push({ cells, line: j + 1 });
    }
    tables.push({ title, columns, rows });
    i = j;
  }
  return tables;
}

/**
 * The console of GuideLLM from late 2025 on (`ℹ Request Latency Statistics (Completed Requests)`,
 * `Server Throughput Statistics (All Requests)`, …): titled tables whose three header rows name a
 * group, a unit and a statistic (`Mdn`, `p95`, `Mean`). The i-th row of each is the i-th benchmark.
 */
function parseTitled(tables: TitledTable[], file: string, model: string | null, out: Parsed): void {
  const count = Math.max(0, ...tables.map((t) => t.rows.length));
  for (let i = 0; i < count; i++) {
    const run = newRun(file, out.runs.length, ID);
    run.model = model;
    run.streaming = true;
    const cell = (title: string, column: string): number | null => {
      const t = tables.find((x) => x.title.startsWith(title));
      const row = t?.rows[i];
      const c = t?.columns.indexOf(column) ?? -1;
      if (!t || !row || c < 0) return null;
      const raw = row.cells[c] ?? '';
      const n = parseNumber(raw);
      if (n === null && raw !== '' && raw !== '-') out.messages.push(messages.badNumber(file, row.line, `${t.title}: ${column}`, raw));
      return n;
    };
    const strategy = tables.map((t) => t.rows[i]?.cells[t.columns.indexOf('Benchmark / Strategy / ')] ?? '').find((x) => x !== '') ?? null;
    run.line = tables.map((t) => t.rows[i]?.line).find((x) => x !== undefined) ?? null;
    if (strategy) run.metadata['strategy'] = strategy;
    if (strategy === 'synchronous') run.concurrency = 1;
    if (strategy === 'throughput') run.metadata['request_rate'] = 'inf';
    run.durationS = cell('Run Summary Info', 'Timings / Dur / Sec');
    const stat = (group: string, unit: string, scale: number): Stat | null => {
      const v = (k: string): number | null => {
        const n = cell('Request Latency Statistics', `${group} / ${unit} / ${k}`);
        return n === null ? null : n * scale;
      };
      const s: Stat = { mean: v('Mean'), p50: v('Mdn'), p90: null, p95: v('p95'), p99: v('p99'), min: null, max: null };
      return Object.values(s).some((x) => x !== null) ? s : null;
    };
    run.latencyMs = stat('Request Latency', 'Sec', 1000);
    run.ttftMs = stat('TTFT', 'ms', 1);
    // GuideLLM's ITL is per request after the first token: TPOT (see parse/guidellm.ts).
    run.tpotMs = stat('ITL', 'ms', 1);
    run.requestThroughput = cell('Server Throughput Statistics', 'Requests / Per Sec / Mean');
    run.inputTokenThroughput = cell('Server Throughput Statistics', 'Input Tokens / Per Sec / Mean');
    run.outputTokenThroughput = cell('Server Throughput Statistics', 'Output Tokens / Per Sec / Mean');
    run.totalTokenThroughput = cell('Server Throughput Statistics', 'Total Tokens / Per Sec / Mean');
    const measured = cell('Server Throughput Statistics', 'Requests / Concurrency / Mean');
    // The mean of requests in flight, measured: not a concurrency setting.
    if (measured !== null) run.metadata['measured_concurrency'] = String(measured);
    out.runs.push(run);
  }
}

function parse(text: string, file: string): Parsed {
  const out = emptyParsed();
  out.formats.push(ID);
  // Not cleanLine: a table row such as "Metadata   | Request Stats" looks like a compose service prefix.
  const lines = splitLines(text).map(stripAnsi);
  const titled = titledTables(lines);
  if (titled.length > 0 && !lines.some((l) => l.trim() === 'Benchmarks Stats:')) {
    parseTitled(titled, file, /backend_model='([^']*)'/.exec(text)?.[1] ?? /"model":\s*"([^"]+)"/.exec(text)?.[1] ?? null, out);
    if (out.runs.length === 0) out.messages.push(messages.truncatedBlock(file, 1, 'GuideLLM report (no benchmark rows)'));
    return out;
  }
  const model = /backend_model='([^']*)'/.exec(text)?.[1] ?? null;
  const info = tableAfter(lines, 'Benchmarks Info:');
  const stats = tableAfter(lines, 'Benchmarks Stats:');
  const names = [...new Set([...(stats?.rows.keys() ?? []), ...(info?.rows.keys() ?? [])])];
  for (const name of names) {
    const run = newRun(file, out.runs.length, ID);
    run.model = model;
    run.streaming = true;
    run.metadata['strategy'] = name;
    const sync = name === 'synchronous';
    const rate = /@([\d.]+)/.exec(name)?.[1];
    if (sync) run.concurrency = 1;
    if (rate !== undefined) run.requestRate = Number(rate);
    if (name === 'throughput') run.metadata['request_rate'] = 'inf';
    const cell = (t: Table | null, column: string): number | null => {
      const row = t?.rows.get(name);
      const i = t?.columns.findIndex((c) => c.toLowerCase() === column.toLowerCase()) ?? -1;
      if (!row || i < 0) return null;
      const raw = row.cells[i] ?? '';
      const n = parseNumber(raw);
      if (n === null && raw !== '') out.messages.push(messages.badNumber(file, row.line, `${name} ${column}`, raw));
      return n;
    };
    run.line = stats?.rows.get(name)?.line ?? info?.rows.get(name)?.line ?? null;
    run.durationS = cell(info, 'Metadata / Duration (s)');
    run.completed = cell(info, 'Requests Made / Comp');
    run.failed = cell(info, 'Requests Made / Err');
    const incomplete = cell(info, 'Requests Made / Inc');
    run.requests = run.completed !== null && run.failed !== null ? run.completed + run.failed + (incomplete ?? 0) : null;
    if (incomplete) run.metadata['incomplete'] = String(incomplete);
    run.inputTokensMean = cell(info, 'Prompt Tok/Req / Comp');
    run.outputTokensMean = cell(info, 'Output Tok/Req / Comp');
    run.requestThroughput = cell(stats, 'Request Stats / Per Second');
    run.outputTokenThroughput = cell(stats, 'Out Tok/sec / mean');
    run.totalTokenThroughput = cell(stats, 'Tot Tok/sec / mean');
    const group = (prefix: string, scale: number): Stat | null => {
      const col = stats?.columns.find((c) => c.startsWith(`${prefix} (`));
      if (!col) return null;
      const g = col.slice(0, col.indexOf(' / '));
      const v = (k: string) => {
        const n = cell(stats, `${g} / ${k}`);
        return n === null ? null : n * scale;
      };
      const stat: Stat = { mean: v('mean'), p50: v('median'), p90: v('p90'), p95: v('p95'), p99: v('p99'), min: null, max: null };
      return Object.values(stat).some((x) => x !== null) ? stat : null;
    };
    const latencyUnit = stats?.columns.find((c) => c.startsWith('Req Latency ('))?.match(/\((\w+)\)/)?.[1];
    run.latencyMs = group('Req Latency', latencyUnit === 'ms' ? 1 : 1000);
    run.ttftMs = group('TTFT', 1);
    run.tpotMs = group('ITL', 1);
    run.msPerOutputToken = group('TPOT', 1)?.mean ?? null;
    out.runs.push(run as Run);
  }
  if (names.length === 0) out.messages.push(messages.truncatedBlock(file, 1, 'GuideLLM report (no benchmark rows)'));
  return out;
}

export default defineFormat({
  id: ID,
  name: { en: 'GuideLLM console report', zh: 'GuideLLM 控制台报告' },
  input: 'text',
  yields: 'runs',
  tool: 'guidellm',
  order: 12,
  checkedOn: {
    en: 'GuideLLM 0.2.x console; the titled tables of the later console (utils/console.py, 2025-12 to 2026: `Mdn`/`p95`/`Mean` columns)',
    zh: 'GuideLLM 0.2.x 控制台输出；后续版本带标题的表格（utils/console.py，2025-12 至 2026：`Mdn`/`p95`/`Mean` 列）',
  },
  describes: 'GuideLLM console output: `Benchmarks Info:` / `Benchmarks Stats:` pipe tables with spanning group headers, or the later titled tables (`Request Latency Statistics`, `Server Throughput Statistics`)',
  claims: (text) =>
    (/^[ \t]*Benchmarks Stats:[ \t]*\r?$/m.test(text) && /Out Tok\/sec/.test(text)) ||
    (/^[ \t]*(?:ℹ[ \t]*)?(?:Request Latency|Server Throughput) Statistics\b/m.test(text) && /^[ \t]*\|=+\|/m.test(text)),
  parse,
  // The 0.2.x console's columns, else the later console's titled tables.
  provenance: {
    requestThroughput: ['"Request Stats" "Per Second"', '"Server Throughput Statistics" "Requests" Per Sec Mean'],
    inputTokenThroughput: ['"Server Throughput Statistics" "Input Tokens" Per Sec Mean', '–'],
    outputTokenThroughput: ['"Out Tok/sec" mean', '"Server Throughput Statistics" "Output Tokens" Per Sec Mean'],
    latency: ['"Req Latency (sec)" mean, median, p99 × 1000', '"Request Latency Statistics" "Request Latency" Sec Mdn, p95 × 1000'],
  },
  metrics: GUIDELLM_METRICS,
  definitions: { ttft: 'first-token', tpot: 'per-request-after-first', latency: 'request-e2e', outputTokenThroughput: 'windowed-mean-rate' },
});
