/**
 * `evalscope perf` (and the older `evalscope-perf`) summaries in every shape they were printed:
 * the old "Benchmarking summary:" key/value list with "Percentile of …" lists, the `+---+` tabulate
 * grids, the box-drawing tables of 1.x (with units in ms and a transposed percentile table), the
 * summary JSON printed into the console log, and `benchmark_summary.json` itself.
 */
import { messages } from '../messages.js';
import { statOrNull, type Message, type Run, type Stat } from '../model.js';
import { escapePointer, isObject, type Json, type JsonObject } from './json.js';
import { cleanLine, isNanWord, isTableRule, parseNumber, splitLines, tableCells } from './text.js';
import { emptyParsed, emptyStat, newRun, over, secondsToMs, type JsonParser, type Parsed, type TextParser } from './types.js';

type Unit = 's' | 'ms' | null;

function splitKey(rawKey: string): { key: string; unit: Unit } {
  const unitMatch = /\((s|ms)\)\s*$/.exec(rawKey);
  const key = rawKey
    .replace(/\((s|ms)\)\s*$/, '')
    .trim()
    .toLowerCase();
  return { key, unit: (unitMatch?.[1] as Unit | undefined) ?? null };
}

/** Seconds unless the key says ms; returns milliseconds. */
function toMs(v: number, unit: Unit): number {
  return unit === 'ms' ? v : secondsToMs(v);
}

function withStat(run: Run, key: 'latencyMs' | 'ttftMs' | 'tpotMs' | 'itlMs', edit: (s: Stat) => void): void {
  const s = run[key] ?? emptyStat();
  edit(s);
  run[key] = statOrNull(s);
}

/** Applies one summary entry; returns false when the key is not a known figure. */
function applyEntry(run: Run, rawKey: string, rawValue: string | number): boolean {
  const { key, unit } = splitKey(rawKey);
  if (key === 'total / success / failed' && typeof rawValue === 'string') {
    const [total, ok, failed] = rawValue.split('/').map((x) => parseNumber(x));
    run.requests = run.requests ?? total ?? null;
    run.completed = ok ?? null;
    run.failed = failed ?? null;
    return true;
  }
  const value = typeof rawValue === 'number' ? rawValue : parseNumber(rawValue.replace(/\s*seconds?$/, ''));
  if (value === null) return false;
  switch (key) {
    case 'time taken for tests':
    case 'test duration':
      run.durationS = value;
      return true;
    case 'expected number of requests':
      run.requests = value;
      return true;
    case 'number of concurrency':
    case 'concurrency':
      run.concurrency = value;
      return true;
    case 'total requests':
      run.metadata['totalRequests'] = String(value);
      if (run.requests === null) run.requests = value;
      return true;
    case 'succeed requests':
    case 'success requests':
      run.completed = value;
      return true;
    case 'stream requests':
      if (value > 0 && run.streaming === null) run.streaming = true;
      return true;
    case 'non-stream requests':
      // Responses not streamed have no per-token timings (a mixed run's are not all per-token either).
      if (value > 0) run.streaming = false;
      return true;
    case 'failed requests':
      run.failed = value;
      return true;
    case 'average qps':
    case 'request throughput (req/s)':
    case 'request throughput':
    case 'req throughput (req/s)':
    case 'req throughput':
      run.requestThroughput = value;
      return true;
    case 'request rate (req/s)':
    case 'request rate':
      run.requestRate = value < 0 ? null : value;
      return true;
    case 'average latency':
    case 'avg latency':
      withStat(run, 'latencyMs', (s) => (s.mean = toMs(value, unit)));
      return true;
    case 'average time to first token':
    case 'avg ttft':
    case 'ttft':
      withStat(run, 'ttftMs', (s) => (s.mean = toMs(value, unit)));
      return true;
    case 'average time per output token':
    case 'avg tpot':
    case 'tpot':
      withStat(run, 'tpotMs', (s) => (s.mean = toMs(value, unit)));
      return true;
    case 'average inter-token latency':
    case 'avg itl':
    case 'itl':
      withStat(run, 'itlMs', (s) => (s.mean = toMs(value, unit)));
      return true;
    case 'throughput(average output tokens per second)':
    case 'throughput(average tokens/s)':
    case 'output token throughput (tok/s)':
    case 'output throughput (tok/s)':
      run.outputTokenThroughput = value;
      return true;
    case 'input token throughput (tok/s)':
    case 'input throughput (tok/s)':
      run.inputTokenThroughput = value;
      return true;
    case 'total token throughput (tok/s)':
    case 'total throughput (tok/s)':
      run.totalTokenThroughput = value;
      return true;
    case 'average package per request':
      // One response package per request: the responses were not streamed.
      run.streaming = value > 1;
      return true;
    case 'average input tokens per request':
    case 'avg input tokens':
      run.inputTokensMean = value;
      return true;
    case 'average output tokens per request':
    case 'avg output tokens':
      run.outputTokensMean = value;
      return true;
    default:
      return false;
  }
}

/**
 * Figures EvalScope prints that have no place among a run's: kept beside them (Run.metadata) as
 * printed, without a warning. Multi-turn and speculative-decoding runs print these; the names are
 * those of before and after 1.x renamed them.
 */
const KEPT = new Set([
  'average package latency',
  'average input turns per request', 'avg turns/request',
  'average approx kv cache hit rate (%)', 'kv cache hit rate (%)',
  'avg first-turn ttft', 'avg subsequent-turn ttft',
  'average decoded tokens per iter (tok/iter)', 'avg decoded tok/iter',
  'approx speculative decoding acceptance rate', 'spec. accept rate',
]);

/** Whether a summary key is one EvalScope prints: read into the run, or kept beside it (KEPT). */
export function knownSummaryKey(rawKey: string): boolean {
  return knownKey(rawKey) || KEPT.has(splitKey(rawKey).key);
}

/** Whether applyEntry reads `rawKey`: a value it then could not read is worth a message. */
function knownKey(rawKey: string): boolean {
  return applyEntry(newRun('', 0, 'evalscope-perf'), rawKey, 1);
}

/**
 * Reads one summary entry: false when applyEntry could not, and then, for a key it knows whose value
 * is no number (NaN words are the tool's own "none"), one message from `report`.
 */
function readEntry(run: Run, rawKey: string, rawValue: string | number, out: Message[], report: (raw: string) => Message): boolean {
  if (applyEntry(run, rawKey, rawValue)) return true;
  const text = String(rawValue).trim();
  if (text !== '' && knownKey(rawKey) && !isNanWord(text)) out.push(report(text));
  return false;
}

function finish(run: Run): void {
  // An LLM run's "Input Throughput (tok/s)" is 0.0 (the figure is an embedding run's): the total less the output is the input.
  if (run.inputTokenThroughput === 0 && run.totalTokenThroughput !== null && run.outputTokenThroughput !== null && run.totalTokenThroughput > run.outputTokenThroughput) {
    run.inputTokenThroughput = null;
  }
  if (run.inputTokenThroughput === null) {
    if (run.totalTokenThroughput !== null && run.outputTokenThroughput !== null) {
      run.inputTokenThroughput = run.totalTokenThroughput - run.outputTokenThroughput;
    } else if (run.inputTokensMean !== null && run.completed !== null) {
      run.inputTokenThroughput = over(run.inputTokensMean * run.completed, run.durationS);
    }
  }
  if (run.totalTokenThroughput === null && run.inputTokenThroughput !== null && run.outputTokenThroughput !== null) {
    run.totalTokenThroughput = run.inputTokenThroughput + run.outputTokenThroughput;
  }
  if (run.inputTokensMean !== null && run.completed !== null) run.totalInputTokens = run.inputTokensMean * run.completed;
  if (run.outputTokensMean !== null && run.completed !== null) run.totalOutputTokens = run.outputTokensMean * run.completed;
}

const PCT_COLUMNS: Record<string, 'latencyMs' | 'ttftMs' | 'tpotMs' | 'itlMs'> = {
  'latency': 'latencyMs',
  'ttft': 'ttftMs',
  'tpot': 'tpotMs',
  'itl': 'itlMs',
};

function setPercentile(run: Run, metricKey: string, pct: string, raw: string): void {
  const { key, unit } = splitKey(metricKey);
  const target = PCT_COLUMNS[key];
  if (!target) return;
  if (isNanWord(raw)) return;
  const v = parseNumber(raw);
  if (v === null) return;
  const p = Number(pct.replace(/%|^p/g, ''));
  withStat(run, target, (s) => {
    const ms = toMs(v, unit ?? 's');
    if (p === 50) s.p50 = ms;
    else if (p === 90) s.p90 = ms;
    else if (p === 95) s.p95 = ms;
    else if (p === 99) s.p99 = ms;
  });
}


/** Keys every EvalScope perf arguments object has (`benchmark_args.json`, or printed in the log). */
export const ARGS_KEYS = ['parallel', 'number', 'url', 'api'];

export function parseEvalscopeText(text: string, file: string): Parsed {
  const out = emptyParsed();
  const lines = splitLines(text).map((l) => cleanLine(l).text.replace(/\s+$/, ''));
  let args: JsonObject | null = null;
  let pendingJson: { obj: JsonObject; line: number } | null = null;
  let run: Run | null = null;
  let mode: 'summary' | 'percentile-list' | 'percentile-table' | 'none' = 'none';
  let pctMetric = '';
  let pctHeader: string[] | null = null;

  /** Summary keys not known, per run, with the line of the first. */
  const unknown = new Map<Run, { line: number; keys: string[] }>();
  const unknownAt = (r: Run, key: string, line: number): void => {
    const u = unknown.get(r) ?? { line, keys: [] };
    u.keys.push(key);
    unknown.set(r, u);
  };
  const startRun = (line: number): Run => {
    const r = newRun(file, out.runs.length, 'evalscope-perf');
    r.line = line;
    out.runs.push(r);
    return r;
  };

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    // A JSON object printed across lines ("… INFO - {" … "}"): the args or the summary.
    if (/(^|\s-\s|\])\{$/.test(line.trim()) || /^\{$/.test(line.trim())) {
      let j = i + 1;
      while (j < lines.length && !/^\}/.test(lines[j] ?? '')) j++;
      if (j < lines.length) {
        try {
          const obj = JSON.parse('{' + lines.slice(i + 1, j + 1).join('\n')) as Json;
          if (isObject(obj)) {
            if (ARGS_KEYS.every((k) => k in obj)) args = obj;
            else if (claimsSummaryJson(obj)) pendingJson = { obj, line: i + 1 };
          }
        } catch {
          // not JSON after all; the lines are read as text below
        }
      }
    }
    if (/^Benchmarking summary:?\s*$/.test(line.trim())) {
      run = startRun(i + 1);
      mode = 'summary';
      if (pendingJson) {
        // The JSON summary printed just before the table is the same run, with more digits.
        for (const [k, v] of Object.entries(pendingJson.obj)) if (typeof v === 'number' || typeof v === 'string') applyEntry(run, k, v);
        run.metadata['summaryJsonLine'] = String(pendingJson.line);
        pendingJson = null;
      }
      continue;
    }
    if (/^Percentile results:?\s*$/.test(line.trim())) {
      mode = 'percentile-table';
      pctHeader = null;
      continue;
    }
    const pl = /^\s*Percentile of (time to first token|request latency):?\s*$/.exec(line);
    if (pl?.[1]) {
      mode = 'percentile-list';
      pctMetric = pl[1] === 'time to first token' ? 'ttft' : 'latency';
      continue;
    }
    if (!run) continue;
    if (mode === 'summary') {
      const row = tableCells(line);
      if (row) {
        if (row.length >= 2 && row[0] && !row[0].includes('──') && row[0] !== 'Key' && row[0] !== 'Metric') {
          // When the JSON summary came first it has more digits than the table: keep it.
          const fromJson = run.metadata['summaryJsonLine'] !== undefined;
          if (!fromJson && !readEntry(run, row[0], row[1] ?? '', out.messages, (raw) => messages.badNumber(file, i + 1, row[0] ?? '', raw)) && row[1]) {
            run.metadata[row[0]] = row[1];
            if (!knownSummaryKey(row[0])) unknownAt(run, row[0], i + 1);
          }
        }
        continue;
      }
      const kv = /^\s+([^:]+?):\s*(\S.*)$/.exec(line);
      if (kv?.[1] && kv[2] !== undefined) {
        const key = kv[1];
        if (!readEntry(run, key, kv[2], out.messages, (raw) => messages.badNumber(file, i + 1, key.trim(), raw))) {
          run.metadata[key.trim()] = kv[2].trim();
          if (!knownSummaryKey(key)) unknownAt(run, key.trim(), i + 1);
        }
        continue;
      }
      if (line.trim() !== '' && !isTableRule(line)) mode = 'none';
      continue;
    }
    if (mode === 'percentile-list') {
      const p = /^\s+(p\d+):\s*(\S+)$/.exec(line);
      if (p?.[1] && p[2]) {
        setPercentile(run, pctMetric, p[1], p[2]);
        continue;
      }
      if (line.trim() !== '') mode = 'none';
      continue;
    }
    if (mode === 'percentile-table') {
      const row = tableCells(line);
      if (!row) {
        if (line.trim() !== '' && !isTableRule(line)) mode = 'none';
        continue;
      }
      if (!pctHeader) {
        pctHeader = row;
        continue;
      }
      const first = pctHeader[0]?.toLowerCase() ?? '';
      if (first.startsWith('percentile')) {
        const pct = row[0] ?? '';
        pctHeader.forEach((h, c) => c > 0 && setPercentile(run!, h, pct, row[c] ?? ''));
      } else if (first === 'metric') {
        const metric = row[0] ?? '';
        pctHeader.forEach((h, c) => c > 0 && setPercentile(run!, metric, h, row[c] ?? ''));
      }
    }
  }
  // A JSON summary with no printed table after it is a run of its own.
  if (pendingJson) {
    const r = startRun(pendingJson.line);
    for (const [k, v] of Object.entries(pendingJson.obj)) if (typeof v === 'number' || typeof v === 'string') applyEntry(r, k, v);
  }
  for (const { line, keys } of unknown.values()) out.messages.push(messages.unknownFields(file, { line }, keys));
  for (const r of out.runs) {
    if (args) {
      if (typeof args['model'] === 'string') r.model = args['model'];
      if (r.requests === null && typeof args['number'] === 'number') r.requests = args['number'];
      if (r.concurrency === null && typeof args['parallel'] === 'number') r.concurrency = args['parallel'];
      if (typeof args['max_tokens'] === 'number') r.maxTokens = args['max_tokens'];
      if (typeof args['dataset'] === 'string') r.metadata['dataset'] = args['dataset'];
    }
    delete r.metadata['summaryJsonLine'];
    finish(r);
  }
  if (out.runs.length > 0) out.formats.push('evalscope-perf');
  return out;
}

/** A summary of before 1.x renamed its keys (`Time taken for tests (s)`), or after (`Test Duration (s)`). */
function claimsSummaryJson(v: JsonObject): boolean {
  return (
    'Time taken for tests (s)' in v ||
    ('Number of concurrency' in v && 'Succeed requests' in v) ||
    ('Test Duration (s)' in v && ('Success Requests' in v || 'Req Throughput (req/s)' in v))
  );
}

export const evalscopePerfText: TextParser = {
  claims: (text) => /Benchmarking summary:?\s*$/m.test(text),
  parse: parseEvalscopeText,
};

export const evalscopePerfJson: JsonParser = {
  claims: (v) => isObject(v) && claimsSummaryJson(v),
  parse(value: Json, file: string): Parsed {
    const out = emptyParsed();
    out.formats.push('evalscope-perf-json');
    if (!isObject(value)) return out;
    const run = newRun(file, 0, 'evalscope-perf-json');
    const unknown: string[] = [];
    for (const [k, v] of Object.entries(value)) {
      if (!knownSummaryKey(k)) unknown.push(k);
      if (typeof v === 'number' || typeof v === 'string') {
        if (!readEntry(run, k, v, out.messages, (raw) => messages.wrongType(file, `/${escapePointer(k)}`, 'a number', JSON.stringify(raw))) && !isNanWord(String(v))) run.metadata[k] = String(v);
      } else if (v !== null && knownSummaryKey(k)) {
        out.messages.push(messages.wrongType(file, `/${escapePointer(k)}`, 'a number', Array.isArray(v) ? 'an array' : typeof v));
      }
    }
    if (unknown.length > 0) out.messages.push(messages.unknownFields(file, { pointer: '' }, unknown));
    finish(run);
    out.runs.push(run);
    return out;
  },
};
