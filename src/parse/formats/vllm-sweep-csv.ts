/**
 * `vllm bench sweep serve`'s `summary.csv`: one row per run of every combination (pandas, its index
 * as an unnamed first column), the columns of a `vllm bench serve` result plus `run_number` and the
 * combination's serve and bench parameters. Each row is read as that result would be.
 */
import { defineFormat } from '../format.js';
import type { JsonObject } from '../json.js';
import { csvFields, parseNumber, splitLines } from '../text.js';
import { emptyParsed, type Parsed } from '../types.js';
import { parseVllmBenchObject } from '../vllm-bench-json.js';
import vllmBenchJson from './vllm-bench-json.js';

declare module '../../model.js' {
  interface RunFormats {
    'vllm-sweep-csv': true;
  }
}

const REQUIRED = ['completed', 'duration', 'request_throughput', 'run_number'];

function headerOf(text: string): string[] | null {
  // The header is the first line: a look at the start of the file, not at all of it.
  const head = text.slice(0, 1 << 16);
  if (!head.includes('run_number') || !head.includes('request_throughput')) return null;
  const first = splitLines(head).find((l) => l.trim() !== '');
  if (!first) return null;
  const cells = csvFields(first);
  return REQUIRED.every((k) => cells.includes(k)) ? cells : null;
}

/** A cell as the JSON value pandas wrote it from: a number, a boolean, a string, or nothing (empty, NaN). */
function cellValue(raw: string): JsonObject[string] | undefined {
  if (raw === '' || /^nan$/i.test(raw)) return undefined;
  if (raw === 'True' || raw === 'False') return raw === 'True';
  if (/^inf$/i.test(raw)) return 'inf';
  const n = parseNumber(raw);
  return n !== null && !raw.includes(',') ? n : raw;
}

function parse(text: string, file: string): Parsed {
  const out = emptyParsed();
  const header = headerOf(text);
  if (!header) return out;
  out.formats.push('vllm-sweep-csv');
  const lines = splitLines(text);
  const start = lines.findIndex((l) => l.trim() !== '');
  for (let i = start + 1; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (line.trim() === '') continue;
    const cells = csvFields(line);
    const row: JsonObject = {};
    header.forEach((name, c) => {
      // The unnamed first column is pandas' row index.
      if (name === '' && c === 0) return;
      const v = cellValue(cells[c] ?? '');
      if (v !== undefined && !/^\[.*\]$/.test(String(v))) row[name] = v;
    });
    const before = out.runs.length;
    const said = out.messages.length;
    parseVllmBenchObject(row, file, out.runs.length, `/${i - start - 1}`, out);
    // What the row's reading says is placed on its line; the pointer names row and column.
    for (const m of out.messages.slice(said)) m.line = i + 1;
    const run = out.runs[before];
    if (run) {
      run.format = 'vllm-sweep-csv';
      run.line = i + 1;
    }
  }
  return out;
}

export default defineFormat({
  id: 'vllm-sweep-csv',
  name: { en: 'vllm bench sweep summary', zh: 'vllm bench sweep 汇总' },
  input: 'text',
  yields: 'runs',
  tool: 'vllm',
  order: 12,
  checkedOn: { en: '`vllm bench sweep serve` source (2026); no real tree seen', zh: '按 `vllm bench sweep serve` 源码（2026）；未见真实输出目录' },
  describes: '`vllm bench sweep serve` `summary.csv`: a row per run, the columns of a `vllm bench serve` result plus `run_number` and the sweep parameters',
  claims: (text) => headerOf(text) !== null,
  parse,
  provenance: vllmBenchJson.provenance,
  metrics: vllmBenchJson.metrics,
  definitions: vllmBenchJson.definitions,
});
