/**
 * EvalScope perf's `benchmark_percentile.json`, beside `benchmark_summary.json` in each run folder
 * (`parallel_<N>_number_<M>/` or `rate_<R>_number_<M>/`): a list of rows, one per percentile
 * (`"Percentiles": "min" | "10%" | … | "99%" | "max"`), with a column per metric (`"TTFT (ms)"`,
 * `"Latency (s)"`; before mid-2026 `"TTFT (s)"`). Early versions wrote the same table transposed,
 * a column per key. Its percentiles join the folder's summary run (assemble/join.ts).
 */
import { messages } from '../../messages.js';
import { emptyStat, statOrNull, type Stat } from '../../model.js';
import { defineFormat } from '../format.js';
import { escapePointer, isObject, type Json, type JsonObject } from '../json.js';
import { isNanWord } from '../text.js';
import { emptyParsed, secondsToMs, type Parsed, type PartStat } from '../types.js';

declare module '../../model.js' {
  interface RunFormats {
    'evalscope-perf-percentile-json': true;
  }
}

const ID = 'evalscope-perf-percentile-json';
const LABEL = 'Percentiles';
const METRIC: Record<string, PartStat> = { ttft: 'ttftMs', tpot: 'tpotMs', itl: 'itlMs', latency: 'latencyMs' };
/** Per-request columns with no place in a run's statistics: known, not read. */
const OTHER = new Set(['input tokens', 'output tokens', 'output (tok/s)', 'input (tok/s)', 'total (tok/s)', 'decode (tok/s)']);
const SLOT: Record<string, keyof Stat> = { min: 'min', '50%': 'p50', '90%': 'p90', '95%': 'p95', '99%': 'p99', max: 'max' };

/** The statistic a column holds (`TTFT (ms)` → ttftMs), or undefined. */
function metricOf(key: string): PartStat | undefined {
  const m = /^(.*?)\s*\((s|ms)\)$/.exec(key);
  return METRIC[(m?.[1] ?? key).trim().toLowerCase()];
}

const isRow = (v: Json): v is JsonObject => isObject(v) && typeof v[LABEL] === 'string';

/** The transposed table: `{"Percentiles": ["10%", …], "TTFT (s)": [ … ], …}`. */
function claimsColumns(v: Json): boolean {
  return isObject(v) && Array.isArray(v[LABEL]) && v[LABEL].every((x) => typeof x === 'string') && Object.keys(v).some((k) => /^(TTFT|Latency) \((m?s)\)$/.test(k));
}

/** One row per percentile; `at` places a row's value by its JSON pointer. */
function parseRows(rows: { row: JsonObject; at: (key: string) => string }[], file: string): Parsed {
  const out = emptyParsed();
  out.formats.push(ID);
  const stats: Partial<Record<PartStat, Stat>> = {};
  const unknown = new Set<string>();
  for (const { row, at } of rows) {
    const slot = SLOT[String(row[LABEL]).trim().toLowerCase()];
    for (const [key, value] of Object.entries(row)) {
      if (key === LABEL) continue;
      const m = /^(.*?)\s*\((s|ms)\)$/.exec(key);
      const metric = metricOf(key);
      if (!metric) {
        if (!OTHER.has(key.trim().toLowerCase())) unknown.add(key);
        continue;
      }
      if (!slot || value === null || (typeof value === 'string' && isNanWord(value))) continue;
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        out.messages.push(messages.wrongType(file, at(key), 'a number (or NaN)', JSON.stringify(value)));
        continue;
      }
      const s = (stats[metric] ??= emptyStat());
      s[slot] = m?.[2] === 'ms' ? value : secondsToMs(value);
    }
  }
  if (unknown.size > 0) out.messages.push(messages.unknownFields(file, { pointer: '' }, [...unknown]));
  for (const [k, s] of Object.entries(stats) as [PartStat, Stat][]) if (statOrNull(s) === null) delete stats[k];
  if (Object.keys(stats).length === 0) {
    out.messages.push(messages.wrongType(file, '', 'percentile rows with TTFT, TPOT, ITL or latency figures', 'none'));
    return out;
  }
  out.parts = [{ file, completes: 'evalscope-perf-json', holds: 'percentiles', runFile: 'benchmark_summary.json', stats }];
  return out;
}

export default defineFormat({
  id: ID,
  name: { en: 'EvalScope perf percentiles (JSON)', zh: 'EvalScope perf 分位数（JSON）' },
  input: 'json',
  yields: 'runs',
  tool: 'evalscope',
  order: 30,
  checkedOn: {
    en: 'EvalScope 0.x (transposed columns, seconds), 1.x (rows; TTFT/TPOT/ITL in ms from 2026-04, `min` row from 2026-07)',
    zh: 'EvalScope 0.x（按列转置，单位秒）、1.x（按行；2026-04 起 TTFT/TPOT/ITL 为毫秒，2026-07 起有 `min` 行）',
  },
  describes: 'EvalScope perf’s `benchmark_percentile.json`: the percentiles of the run whose `benchmark_summary.json` is in the same folder',
  claims: claimsColumns,
  parse(value, file) {
    if (!isObject(value)) return emptyParsed();
    const labels = value[LABEL] as Json[];
    const bad = Object.entries(value).filter(([k, col]) => k !== LABEL && !Array.isArray(col) && col !== null);
    const rows = labels.map((label, i) => {
      const row: JsonObject = { [LABEL]: label };
      // A column that is no list is named below (as unknown, or as a metric of the wrong type); its cells are empty.
      for (const [k, col] of Object.entries(value)) if (k !== LABEL) row[k] = Array.isArray(col) ? (col[i] ?? null) : null;
      return { row, at: (key: string) => `/${escapePointer(key)}/${i}` };
    });
    const out = parseRows(rows, file);
    for (const [k, col] of bad) if (metricOf(k)) out.messages.push(messages.wrongType(file, `/${escapePointer(k)}`, 'a list of one figure per percentile', JSON.stringify(col)));
    return out;
  },
  records: {
    shapes: ['array'],
    claims: (values) => values.length > 0 && values.every(isRow) && values.some((v) => isObject(v) && Object.keys(v).some((k) => /^(TTFT|Latency) \((m?s)\)$/.test(k))),
    parse(records, file) {
      return parseRows(records.flatMap((r, i) => (isRow(r.value) ? [{ row: r.value, at: (key: string) => `/${i}/${escapePointer(key)}` }] : [])), file);
    },
  },
  definitions: { ttft: 'first-token', tpot: 'per-request-after-first', itl: 'pooled-chunk-gaps', latency: 'request-e2e' },
});
