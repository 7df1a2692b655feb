/**
 * Every corpus file that holds benchmark results, built as an experiment of its own: the report
 * shows each latency figure the file has, and none it does not. A figure shown must be in the
 * source text (as it is, or converted between seconds and milliseconds); a figure the parse read
 * must be in the report's latency table; a run that did not stream shows no TTFT, TPOT or ITL.
 */
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderAll, type Rendered } from '../../src/build.js';
import type { Experiment, Run } from '../../src/model.js';
import { ingest } from '../../src/pipeline/load.js';
import { corpusDir } from '../helpers/files.js';
import { NOT_YET_READ } from './not-yet-read.js';

const root = mkdtempSync(join(tmpdir(), 'benchbook-corpus-reports-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Corpus files by their experiment id (one experiment per file). */
const sources = new Map<string, string>();
let rendered: Rendered;
let experiments: Experiment[];

beforeAll(async () => {
  mkdirSync(join(root, 'artifacts'));
  let n = 0;
  for (const dir of readdirSync(corpusDir)) {
    if (!statSync(join(corpusDir, dir)).isDirectory()) continue;
    for (const file of readdirSync(join(corpusDir, dir))) {
      const rel = `${dir}/${file}`;
      if (NOT_YET_READ.includes(rel) || /^[A-Z_]+\.md$/.test(file)) continue;
      const id = `c${String(n++).padStart(2, '0')}_20260101`;
      mkdirSync(join(root, 'artifacts', id));
      cpSync(join(corpusDir, dir, file), join(root, 'artifacts', id, file));
      sources.set(id, join(corpusDir, dir, file));
    }
  }
  rendered = await renderAll(root);
  experiments = (await ingest(join(root, 'artifacts'))).experiments;
}, 300_000);

const METRICS = [
  ['TTFT (ms)', (r: Run) => r.ttftMs, 1],
  ['TPOT (ms)', (r: Run) => r.tpotMs, 1],
  ['ITL (ms)', (r: Run) => r.itlMs, 1],
  ['End to end (s)', (r: Run) => r.latencyMs, 1000],
] as const;
const STATS = ['mean', 'p50', 'p90', 'p95', 'p99'] as const;
const HEADERS: Record<string, (typeof STATS)[number]> = { Mean: 'mean', p50: 'p50', p90: 'p90', p95: 'p95', p99: 'p99' };

/** The report's "Latency per request" table: cells by run label and metric, by statistic. */
function latencyTable(md: string): Map<string, Partial<Record<(typeof STATS)[number], string>>> {
  const section = /\n### Latency per request\n\n([\s\S]*?)\n\n/.exec(md)?.[1] ?? '';
  const [head, , ...rows] = section.split('\n');
  const cols = (head ?? '').split(' | ').map((c) => c.replace(/^\| |\|$/g, '').trim());
  const out = new Map<string, Partial<Record<(typeof STATS)[number], string>>>();
  for (const row of rows) {
    const cells = row.split(' | ').map((c) => c.replace(/^\| |\|$/g, '').trim());
    const byStat: Partial<Record<(typeof STATS)[number], string>> = {};
    cols.forEach((c, i) => {
      const stat = HEADERS[c];
      if (stat && cells[i] !== undefined) byStat[stat] = cells[i];
    });
    out.set(`${cells[0]}\u0000${cells[1]}`, byStat);
  }
  return out;
}

/** Whether a figure as the report shows it is a rounding of a number in the source (or of it in s, ms or ns). */
function inSource(shown: string, numbers: number[]): boolean {
  const v = Number(shown.replace(/,/g, ''));
  const half = 0.5 * 10 ** -(shown.split('.')[1]?.length ?? 0);
  return numbers.some((n) => [n, n * 1000, n / 1000, n / 1e6, n / 1e9].some((x) => Math.abs(x - v) <= half * 1.000001));
}

/** Formats whose statistics benchbook computes from per-request records (the source holds the records, not the statistics). */
const SUMMARISED = new Set(['llmperf-requests']);

/** A Markdown cell's text with its escapes removed. */
const md = (s: string) => s.replace(/\\([\\`*_{}[\]()#+\-.!|<>~])/g, '$1');

describe('reports over every corpus file of results', () => {
  it('built a report per file', () => {
    expect(sources.size).toBeGreaterThan(15);
    for (const id of sources.keys()) expect(rendered.outputs.has(`reports/${id}.en.md`), id).toBe(true);
  });

  it('shows every latency figure a file has and none it lacks; a run that did not stream shows no per-token figure', () => {
    let shown = 0;
    let runs = 0;
    for (const exp of experiments) {
      if (exp.runs.length === 0) continue;
      const source = sources.get(exp.id) as string;
      const numbers = (readFileSync(source, 'utf8').match(/-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?/g) ?? []).map(Number);
      const report = (rendered.outputs.get(`reports/${exp.id}.en.md`) as Buffer).toString('utf8');
      const table = latencyTable(report);
      for (const run of exp.runs) {
        runs++;
        for (const [name, pick] of METRICS) {
          const stat = pick(run);
          const cells = [...table.entries()].find(([k]) => md(k) === `${run.label}\u0000${name}`)?.[1] ?? {};
          if (run.streaming === false && name !== 'End to end (s)') {
            expect(stat, `${exp.id} ${run.label} ${name}: not streamed`).toBeNull();
            expect(Object.keys(cells), `${exp.id} ${run.label} ${name}`).toEqual([]);
            continue;
          }
          for (const k of STATS) {
            const value = stat?.[k] ?? null;
            const cell = cells[k];
            if (value === null) {
              expect(cell === undefined || cell === '–', `${exp.id} ${run.label} ${name} ${k}: shown without a source figure (${cell})`).toBe(true);
              continue;
            }
            expect(cell, `${exp.id} ${run.label} ${name} ${k}: the file has ${value}, the report omits it`).toBeDefined();
            expect(cell, `${exp.id} ${run.label} ${name} ${k}`).not.toBe('–');
            // A format that summarises per-request records computes its statistics: they are not in its text.
            if (!SUMMARISED.has(run.format)) expect(inSource(cell as string, numbers), `${exp.id} ${run.label} ${name} ${k}: ${cell} is in no form in ${source}`).toBe(true);
            shown++;
          }
        }
      }
    }
    expect(runs).toBeGreaterThan(20);
    expect(shown).toBeGreaterThan(100);
  });

  it('shows request and output throughput exactly for the runs whose file gives them', () => {
    let checked = 0;
    for (const exp of experiments) {
      const report = (rendered.outputs.get(`reports/${exp.id}.en.md`) as Buffer).toString('utf8');
      const section = /\n## Results\n\n([\s\S]*?)\n\n/.exec(report)?.[1] ?? '';
      const [head, , ...rows] = section.split('\n');
      const cols = (head ?? '').split(' | ').map((c) => c.replace(/^\| |\|$/g, '').trim());
      for (const run of exp.runs) {
        const row = rows.map((r) => r.split(' | ').map((c) => c.replace(/^\| |\|$/g, '').trim())).find((cells) => md(cells[0] ?? '') === run.label);
        expect(row, `${exp.id} ${run.label}: no results row`).toBeDefined();
        for (const [col, value] of [['QPS', run.requestThroughput], ['Output tok/s', run.outputTokenThroughput]] as const) {
          const i = cols.indexOf(col);
          const cell = i < 0 ? undefined : row?.[i];
          if (value === null) expect(cell === undefined || cell === '–', `${exp.id} ${run.label} ${col}: ${cell}`).toBe(true);
          else expect(Number((cell ?? '').replace(/,/g, '')), `${exp.id} ${run.label} ${col}`).toBeCloseTo(value, 0);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(40);
  });
});
