/**
 * `npm run bench`: benchbook at the scale of a team's repository, with the targets beside each figure.
 *
 * Generates a synthetic repository in a temporary folder (bench/synthetic.ts; sizes from the
 * environment: BENCHBOOK_BENCH_EXPERIMENTS=100, BENCHBOOK_BENCH_RUNS=10, BENCHBOOK_BENCH_LOG_MB=1100,
 * BENCHBOOK_BENCH_PDF_EXPERIMENTS=4, BENCHBOOK_BENCH_SCRIPT_FILES=12), then measures, each build in
 * its own process as a user runs it: a cold build without PDFs, a no-op rebuild, a rebuild after one
 * experiment changed, a cold build with PDFs of a sample; log parsing throughput; peak RSS; and the
 * same charts and pages made by one process per file (measured on a sample, scaled to the build).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { derive } from '../src/assemble/derive.js';
import { ingest } from '../src/pipeline/load.js';
import { loadStrings, templatesDirFor } from '../src/pipeline/context.js';
import { chartsFor } from '../src/render/charts/specs.js';
import { digitsFor } from '../src/render/numbers.js';
import { findBrowser } from '../src/write/browser.js';
import { readVllmLogFile } from '../src/parse/vllm-log.js';
import { generate } from './synthetic.js';

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const EXPERIMENTS = env('BENCHBOOK_BENCH_EXPERIMENTS', 100);
const RUNS = env('BENCHBOOK_BENCH_RUNS', 10);
const LOG_MB = env('BENCHBOOK_BENCH_LOG_MB', 1100);
const PDF_EXPERIMENTS = env('BENCHBOOK_BENCH_PDF_EXPERIMENTS', 4);
const SCRIPT_FILES = env('BENCHBOOK_BENCH_SCRIPT_FILES', 12);

const here = dirname(fileURLToPath(import.meta.url));

interface Once {
  wallMs: number;
  ms: number;
  noop: boolean;
  stats: { experiments: number; rendered: number; charts: number; chartMs: number; pages: number; bytesRead: number; ingestMs: number };
  timings: Record<string, number>;
  files: number;
  written: number;
  unchanged: number;
  pdf: { count: number; made: number; msPerPdf: number[]; launchMs: number };
  errors: number;
  maxRssMiB: number;
}

function buildOnce(root: string, mode: 'skip' | 'require', extraEnv: Record<string, string> = {}): Once {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [join(here, 'build-once.js'), root, mode], { encoding: 'utf8', maxBuffer: 64 << 20, env: { ...process.env, CI: '1', ...extraEnv } });
  const wallMs = performance.now() - t0;
  if (r.status !== 0) throw new Error(`build failed (${r.status}): ${r.stderr}`);
  return { wallMs, ...(JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as Omit<Once, 'wallMs'>) };
}

function runProcess(args: string[]): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${args.join(' ')} failed: ${r.stderr}`);
  return performance.now() - t0;
}

const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');

function row(name: string, value: string, target: string, ok: boolean | null, note = ''): void {
  console.log(`${name.padEnd(34)} ${value.padEnd(14)} ${target.padEnd(12)} ${ok === null ? '' : verdict(ok).padEnd(7)} ${note}`.trimEnd());
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'benchbook-bench-'));
  try {
    const root = join(dir, 'repo');
    let t0 = performance.now();
    const repo = await generate(root, { experiments: EXPERIMENTS, runs: RUNS, logMB: LOG_MB });
    console.log(
      `synthetic repository: ${EXPERIMENTS} experiments × ${RUNS} runs (half sweeps, half precision comparisons), ${repo.logs.length} server logs, ${(repo.logBytes / 1e6).toFixed(0)} MB of logs; generated in ${s(performance.now() - t0)} (not counted)`,
    );
    console.log(`machine: ${(await import('node:os')).cpus().length} cores, Node ${process.version}\n`);
    // Written data flushed first, so that what follows is not measured against the disk's writeback.
    spawnSync('sync');
    console.log(`${'measure'.padEnd(34)} ${'value'.padEnd(14)} ${'target'.padEnd(12)} verdict`);

    // Log parsing, alone: every server log streamed through the parser in this process.
    t0 = performance.now();
    for (const log of repo.logs) await readVllmLogFile(log, basename(log));
    const logMs = performance.now() - t0;
    const mbps = repo.logBytes / 1e6 / (logMs / 1000);

    const cold = buildOnce(root, 'skip');
    row('cold build, no PDF', s(cold.wallMs), '< 10 s', cold.wallMs < 10_000, `(${cold.files} files, ${cold.stats.charts} charts, ${cold.stats.pages} pages)`);
    spawnSync('sync');
    const noops = [buildOnce(root, 'skip'), buildOnce(root, 'skip'), buildOnce(root, 'skip')];
    const noop = [...noops].sort((a, b) => a.wallMs - b.wallMs)[1] as Once;
    row('no-op rebuild (median of 3)', s(noop.wallMs), '< 0.3 s', noop.wallMs < 300 && noops.every((n) => n.noop && n.written === 0), `(${noops.map((n) => s(n.wallMs)).join(', ')}; ${noop.written} files written)`);
    const victim = repo.ids[Math.floor(repo.ids.length / 2)] ?? '';
    const victimDir = join(root, 'artifacts', victim);
    const file = readdirSync(victimDir).find((f) => f.endsWith('.json')) ?? '';
    writeFileSync(join(victimDir, file), readFileSync(join(victimDir, file), 'utf8').replace('"failed":0', '"failed":1'));
    const one = buildOnce(root, 'skip');
    row('one experiment changed', s(one.wallMs), '', null, `(${one.stats.rendered} of ${one.stats.experiments} experiments rendered, ${one.written} files written)`);
    const peak = Math.max(cold.maxRssMiB, noop.maxRssMiB, one.maxRssMiB);
    row('peak RSS (cold build)', `${cold.maxRssMiB.toFixed(0)} MiB`, '< 500 MiB', peak < 500, `(no-op ${noop.maxRssMiB.toFixed(0)} MiB, one changed ${one.maxRssMiB.toFixed(0)} MiB)`);
    row('log parsing', `${mbps.toFixed(0)} MB/s`, '>= 300 MB/s', mbps >= 300, `(${(repo.logBytes / 1e6).toFixed(0)} MB in ${s(logMs)}; within the cold build: ${(cold.stats.bytesRead / 1e6 / (cold.stats.ingestMs / 1000)).toFixed(0)} MB/s incl. result files)`);
    row('ms per chart (SVG + PNG)', `${(cold.stats.chartMs / Math.max(1, cold.stats.charts)).toFixed(1)} ms`, '', null, `(${cold.stats.charts} charts in ${s(cold.stats.chartMs)})`);
    console.log(`  cold build stages: ${Object.entries(cold.timings).map(([k, v]) => `${k} ${s(v)}`).join(', ')}; parsing ${s(cold.stats.ingestMs)} (summed over renderers)`);

    // The same cold build with one renderer (BENCHBOOK_WORKERS=1): the time and memory trade.
    for (const out of ['README.md', 'README.en.md', 'reports', 'images', 'site', '.benchbook-cache']) rmSync(join(root, out), { recursive: true, force: true });
    const single = buildOnce(root, 'skip', { BENCHBOOK_WORKERS: '1' });
    row('cold build, one renderer', s(single.wallMs), '< 10 s', single.wallMs < 10_000, `(BENCHBOOK_WORKERS=1; peak RSS ${single.maxRssMiB.toFixed(0)} MiB, target < 500 MiB: ${verdict(single.maxRssMiB < 500)})`);

    // Cold build with PDFs, on a sample of the experiments.
    const browser = findBrowser();
    const sample = join(dir, 'sample');
    mkdirSync(join(sample, 'artifacts'), { recursive: true });
    for (const id of repo.ids.slice(0, PDF_EXPERIMENTS)) cpSync(join(root, 'artifacts', id), join(sample, 'artifacts', id), { recursive: true });
    if (browser) {
      const pdf = buildOnce(sample, 'require');
      row(`cold build with PDF (${PDF_EXPERIMENTS} experiments)`, s(pdf.wallMs), '', null, `(${pdf.pdf.made} PDFs; PDF stage ${s(pdf.timings['pdf'] ?? 0)})`);
      row('ms per PDF', `${mean(pdf.pdf.msPerPdf).toFixed(0)} ms`, '', null, `(browser start ${pdf.pdf.launchMs.toFixed(0)} ms, once per build)`);
    } else {
      console.log('cold build with PDF                skipped: no Chromium found (set BENCHBOOK_CHROME)');
    }

    // The same charts and pages, one process per file.
    const model = await ingest(join(sample, 'artifacts'));
    const strings = loadStrings(templatesDirFor(sample), 'en');
    const specs = model.experiments.flatMap((e) => chartsFor(derive(e), strings, 'en', digitsFor(e.runs)).map((c) => c.spec));
    const scratch = join(dir, 'per-file');
    mkdirSync(scratch);
    const chartMs: number[] = [];
    for (const [i, spec] of specs.slice(0, SCRIPT_FILES).entries()) {
      writeFileSync(join(scratch, `${i}.json`), JSON.stringify(spec));
      chartMs.push(runProcess([join(here, 'one-file.js'), 'chart', join(scratch, `${i}.json`), join(scratch, `${i}.png`)]));
    }
    const reports = readdirSync(join(sample, 'reports')).slice(0, Math.max(1, Math.floor(SCRIPT_FILES / 2)));
    const pageMs = reports.map((r) => runProcess([join(here, 'one-file.js'), 'page', join(sample, 'reports', r), join(scratch, `${r}.html`)]));
    const scripted = cold.stats.charts * mean(chartMs) + cold.stats.pages * mean(pageMs);
    const ratio = scripted / cold.wallMs;
    row('one process per file', s(scripted), '', null, `(${mean(chartMs).toFixed(0)} ms a chart × ${cold.stats.charts} + ${mean(pageMs).toFixed(0)} ms a page × ${cold.stats.pages}; measured on ${chartMs.length} charts and ${pageMs.length} pages)`);
    row('  benchbook cold build vs that', `${ratio.toFixed(1)}× faster`, '>= 10×', ratio >= 10);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
