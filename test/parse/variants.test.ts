/**
 * Every format's fixtures, changed the way a tool's next version or a careless copy changes a file:
 *
 * - a later version: a field added (JSON: a key on the object holding the figures; CSV: a column)
 *   is read around and named, in a warning or in the run's own metadata, never dropped unsaid;
 * - CSV columns in another order give the same runs;
 * - cut short, or every number replaced by a word, the file gives messages naming it (and a line
 *   or a JSON pointer), never an exception.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Message } from '../../src/model.js';
import { parseContent, type FileResult } from '../../src/parse/index.js';
import { isObject, type Json, type JsonObject } from '../../src/parse/json.js';
import { fixturesDir } from '../helpers/files.js';

const ADDED = 'zz_added_in_a_later_version';

/**
 * benchbook's own formats are versioned (`"version": 1`): a field comes with a new version, so one
 * they do not know is an error that refuses the file (docs/benchbook.md, "Own formats"). They must
 * still name it.
 */
const STRICT = new Set(['benchbook-runs', 'benchbook-accuracy']);

interface Case {
  format: string;
  name: string;
  file: string;
  bytes: Buffer;
}

const cases: Case[] = readdirSync(fixturesDir, { withFileTypes: true })
  .filter((d) => d.isDirectory() && d.name !== 'bad')
  .flatMap((d) =>
    readdirSync(join(fixturesDir, d.name), { withFileTypes: true })
      .filter((c) => c.isDirectory())
      .map((c) => {
        const dir = join(fixturesDir, d.name, c.name);
        const file = readdirSync(dir).find((f) => f !== 'expected.json') ?? '';
        return { format: d.name, name: c.name, file, bytes: readFileSync(join(dir, file)) };
      }),
  );

const parse = (text: string, file: string): FileResult => parseContent(Buffer.from(text, 'utf8'), file);

/** What a file gave, without the messages and positions: what a variant must keep. */
function yieldOf(r: FileResult): unknown {
  const p = r.parsed;
  return { runs: p.runs.length, accuracy: p.accuracy.length, environments: p.environments.length, serverLogs: p.serverLogs.length, parts: p.parts?.length ?? 0 };
}

/** Whether `key` was named: in a warning or error, or kept in a run's metadata or params. */
function named(r: FileResult, key: string): boolean {
  const said = r.parsed.messages.some((m) => m.severity !== 'info' && m.text.includes(key));
  const kept = r.parsed.runs.some((run) => key in run.metadata || key in (run.params ?? {}));
  const keptInPart = (r.parsed.parts ?? []).some((p) => key in (p.metadata ?? {}));
  return said || kept || keptInPart;
}

const placed = (m: Message): boolean => m.severity !== 'info' && (m.line !== undefined || m.pointer !== undefined);

/** The object holding a result's figures: the file's top level, or its one record's. */
function withAdded(v: Json): Json {
  if (Array.isArray(v)) return v.map((x) => withAdded(x));
  return isObject(v) ? { ...v, [ADDED]: 12.5 } : v;
}

/** Every number replaced by a word. */
function wordsForNumbers(v: Json): Json {
  if (typeof v === 'number') return 'twelve';
  if (Array.isArray(v)) return v.map((x) => wordsForNumbers(x));
  if (isObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, wordsForNumbers(x)])) as JsonObject;
  return v;
}

const jsonCases = cases.filter((c) => /\.json$/.test(c.file));
const jsonlCases = cases.filter((c) => /\.jsonl$/.test(c.file));
const csvCases = cases.filter((c) => /\.csv$/.test(c.file));
const textCases = cases.filter((c) => !/\.(json|jsonl|csv)$/.test(c.file));

/** Parses the fixture's JSON the way the tool wrote it (Python's bare NaN included). */
function jsonOf(c: Case): Json {
  return JSON.parse(c.bytes.toString('utf8').replace(/(?<=[:,[\s])(NaN|-?Infinity)(?=\s*[,\]}])/g, 'null')) as Json;
}

describe('a later version: an added field is named, never dropped unsaid', () => {
  for (const c of jsonCases) {
    it(`${c.format}/${c.name}`, () => {
      const before = parseContent(c.bytes, c.file);
      if (before.unrecognised !== null) return;
      const text = c.bytes.toString('utf8');
      // An object gets the key as text (Python's bare NaN and Infinity stay as written); an array's records get it each.
      const added = text.trimStart().startsWith('{') ? text.replace('{', `{"${ADDED}": 12.5, `) : JSON.stringify(withAdded(jsonOf(c)), null, 2);
      const after = parse(added, c.file);
      expect(named(after, ADDED), `${ADDED} named`).toBe(true);
      if (STRICT.has(c.format)) return;
      expect(after.unrecognised).toBeNull();
      expect(yieldOf(after)).toEqual(yieldOf(before));
    });
  }
  for (const c of jsonlCases) {
    it(`${c.format}/${c.name}`, () => {
      const before = parseContent(c.bytes, c.file);
      const lines = c.bytes.toString('utf8').split('\n').filter((l) => l.trim() !== '');
      // Each record's first line gets the key (a record an author wrapped has its other lines left as they are).
      const records = lines.map((l) => (l.trimStart().startsWith('{') ? l.replace('{', `{"${ADDED}": 12.5, `) : l));
      const after = parse(records.join('\n') + '\n', c.file);
      expect(yieldOf(after)).toEqual(yieldOf(before));
      expect(named(after, ADDED), `${ADDED} named`).toBe(true);
    });
  }
  for (const c of csvCases) {
    it(`${c.format}/${c.name}: an added column`, () => {
      const before = parseContent(c.bytes, c.file);
      const lines = c.bytes.toString('utf8').split(/\r?\n/);
      const header = lines.findIndex((l) => l.split(',').length > 2);
      const width = (lines[header] ?? '').split(',').length;
      const after = parse(lines.map((l, i) => (i === header ? `${l},${ADDED}` : l.split(',').length === width ? `${l},3` : l)).join('\n'), c.file);
      expect(yieldOf(after)).toEqual(yieldOf(before));
      expect(named(after, ADDED), `${ADDED} named`).toBe(true);
    });
  }
});

describe('CSV columns in another order give the same runs', () => {
  for (const c of csvCases) {
    it(`${c.format}/${c.name}`, () => {
      const before = parseContent(c.bytes, c.file);
      const lines = c.bytes.toString('utf8').split(/\r?\n/);
      const header = lines.findIndex((l) => l.split(',').length > 2);
      const width = (lines[header] ?? '').split(',').length;
      // Quoted cells with commas would not survive a naive split: such files keep their order.
      if (lines.some((l) => l.includes('"'))) return;
      const swapped = lines.map((l) => {
        const cells = l.split(',');
        return cells.length === width ? [...cells.slice(1), cells[0]].join(',') : l;
      });
      const after = parse(swapped.join('\n'), c.file);
      const figures = (r: FileResult) => r.parsed.runs.map((run) => ({ ...run, metadata: {}, params: {} }));
      expect(figures(after)).toEqual(figures(before));
    });
  }
});

describe('cut short, or with words for numbers: named messages, never an exception', () => {
  for (const c of [...jsonCases, ...jsonlCases, ...csvCases, ...textCases]) {
    it(`${c.format}/${c.name}: cut at 60 %`, () => {
      const text = c.bytes.toString('utf8');
      const cut = text.slice(0, Math.floor(text.length * 0.6));
      let r: FileResult | null = null;
      expect(() => (r = parse(cut, c.file))).not.toThrow();
      const got = r as unknown as FileResult;
      expect(got.parsed.messages.every((m) => m.file === c.file)).toBe(true);
      // What was read is said; what was not is said too.
      const gave = got.parsed.runs.length + got.parsed.accuracy.length + got.parsed.environments.length + got.parsed.serverLogs.length + (got.parsed.parts?.length ?? 0);
      if (gave === 0) expect(got.unrecognised !== null || got.parsed.messages.some(placed)).toBe(true);
    });
  }
  for (const c of jsonCases) {
    it(`${c.format}/${c.name}: words for numbers`, () => {
      const before = parseContent(c.bytes, c.file);
      if (before.unrecognised !== null) return;
      const r = parse(JSON.stringify(wordsForNumbers(jsonOf(c)), null, 2), c.file);
      const hadNumbers = /\d/.test(JSON.stringify(jsonOf(c)));
      if (hadNumbers && r.unrecognised === null) expect(r.parsed.messages.some(placed), JSON.stringify(r.parsed.messages.slice(0, 3))).toBe(true);
    });
  }
});

describe('as long as a file makes it', () => {
  it('vllm bench latency: 300,000 iterations give their min and max, no stack overflow', () => {
    const latencies = Array.from({ length: 300_000 }, (_, i) => 1 + (i % 1000) / 1000);
    const r = parse(JSON.stringify({ avg_latency: 1.5, latencies, percentiles: { '50': 1.5 } }), 'latency.json');
    expect(r.parsed.runs[0]?.latencyMs).toMatchObject({ min: 1000, max: 1999, mean: 1500 });
    expect(r.parsed.runs[0]?.metadata['iterations']).toBe('300000');
  });
});
