/**
 * `npm run bench`: benchbook at the scale of a team's repository, with the targets beside each figure.
 *
 * Generates a synthetic repository in a temporary folder (bench/synthetic.ts; sizes from the
 * environment: BENCHBOOK_BENCH_EXPERIMENTS=100, BENCHBOOK_BENCH_RUNS=10, BENCHBOOK_BENCH_LOG_MB=1100,
 * BENCHBOOK_BENCH_PDF_EXPERIMENTS=4, BENCHBOOK_BENCH_SCRIPT_FILES=12,
 * BENCHBOOK_BENCH_CHART_EXPERIMENTS=10), then measures, each build in
 * its own process as a user runs it: a cold build without PDFs, a no-op rebuild, a rebuild after one
 * experiment changed and after one was added (in place, and in a fresh checkout with the cache and
 * site/ restored, as CI builds a push), a cold build with PDFs of a sample; log parsing
 * throughput; peak RSS; each path against its floor (bench/floors.ts); and the same charts and
 * pages made by one process per file (measured on a sample, scaled to the build).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { derive } from '../src/assemble/derive.js';
import { ingest } from '../src/pipeline/load.js';
import { loadStrings, templatesDirFor } from '../src/pipeline/context.js';
import { chartsFor } from '../src/render/charts/specs.js';
import { digitsFor } from '../src/render/numbers.js';
import { findBrowser } from '../src/write/browser.js';
import { generate } from './synthetic.js';
import { chartFloor, logFloor, pageFloor, pdfPages } from './floors.js';
import { renderAll } from '../src/build.js';
import type { SiteEntry } from '../src/products.js';

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const EXPERIMENTS = env('BENCHBOOK_BENCH_EXPERIMENTS', 100);
const RUNS = env('BENCHBOOK_BENCH_RUNS', 10);
const LOG_MB = env('BENCHBOOK_BENCH_LOG_MB', 1100);
const PDF_EXPERIMENTS = env('BENCHBOOK_BENCH_PDF_EXPERIMENTS', 4);
const SCRIPT_FILES = env('BENCHBOOK_BENCH_SCRIPT_FILES', 12);
const CHART_EXPERIMENTS = env('BENCHBOOK_BENCH_CHART_EXPERIMENTS', 10);

const here = dirname(fileURLToPath(import.meta.url));

interface Once {
  wallMs: number;
  ms: number;
  noop: boolean;
  stats: { experiments: number; rendered: number; charts: number; chartMs: number; pages: number; framed: number; bytesRead: number; ingestMs: number };
  timings: Record<string, number>;
  files: number;
  written: number;
  unchanged: number;
  pdf: { count: number; made: number; msPerPdf: number[]; launchMs: number };
  errors: number;
  maxRssMiB: number;
}

/** What the command loads before anything else (bin/benchbook.cjs): the thread pool's size. */
const THREADS = join(here, '..', '..', 'bin', 'threads.cjs');

/**
 * What the build's process is started with on Linux (bin/malloc.cjs: the command starts the build
 * in a child with it): each build here is that child, without the command's own start before it.
 */
const MALLOC_ENV: Record<string, string> =
  process.platform === 'linux' ? (createRequire(import.meta.url)(join(here, '..', '..', 'bin', 'malloc.cjs')) as { MALLOC_ENV: Record<string, string> }).MALLOC_ENV : {};

/** The middle one of three builds, by wall time. */
function median(builds: readonly Once[]): Once {
  return [...builds].sort((a, b) => a.wallMs - b.wallMs)[Math.floor(builds.length / 2)] as Once;
}

function buildOnce(root: string, mode: 'skip' | 'require', extraEnv: Record<string, string> = {}): Once {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['--require', THREADS, join(here, 'build-once.js'), root, mode], { encoding: 'utf8', maxBuffer: 64 << 20, env: { ...process.env, CI: '1', ...MALLOC_ENV, ...extraEnv } });
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
      `synthetic repository: ${EXPERIMENTS} experiments (of every ten: 4 sweeps of ${RUNS} concurrencies, 3 precision comparisons of ${RUNS} runs, GuideLLM, AIPerf, SGLang or EvalScope), ${repo.logs.length} server logs, ${(repo.logBytes / 1e6).toFixed(0)} MB of logs; generated in ${s(performance.now() - t0)} (not counted)`,
    );
    const cores = (await import('node:os')).availableParallelism();
    const { poolSize } = createRequire(import.meta.url)(THREADS) as { poolSize: (cores: number) => number };
    console.log(`machine: ${cores} cores, Node ${process.version}; builds with libuv's thread pool at ${process.env['UV_THREADPOOL_SIZE'] ?? poolSize(cores)} threads${MALLOC_ENV['MALLOC_MMAP_THRESHOLD_'] ? ` and glibc's mmap threshold at ${MALLOC_ENV['MALLOC_MMAP_THRESHOLD_']} bytes` : ''}, as the command runs them (bin/threads.cjs, bin/malloc.cjs)\n`);
    // Written data flushed first, so that what follows is not measured against the disk's writeback.
    spawnSync('sync');
    console.log(`${'measure'.padEnd(34)} ${'value'.padEnd(14)} ${'target'.padEnd(12)} verdict`);

    // Log parsing, alone: every server log streamed through the parser in this process, then the
    // same bytes through a bare scan for line ends (the floor); a first read warms the page cache.
    await logFloor(repo.logs.slice(0, 1));
    const logs = await logFloor(repo.logs);
    const logMs = logs.pathMs;
    const mbps = repo.logBytes / 1e6 / (logMs / 1000);
    const scanMbps = repo.logBytes / 1e6 / (logs.floorMs / 1000);

    const cold = buildOnce(root, 'skip');
    row('cold build, no PDF', s(cold.wallMs), '< 15 s', cold.wallMs < 15_000, `(${cold.files} files, ${cold.stats.charts} charts, ${cold.stats.pages} pages)`);
    spawnSync('sync');
    const noops = [buildOnce(root, 'skip'), buildOnce(root, 'skip'), buildOnce(root, 'skip')];
    const noop = median(noops);
    row('no-op rebuild (median of 3)', s(noop.wallMs), '', null, `(${noops.map((n) => s(n.wallMs)).join(', ')}; ${noop.written} files written)`);
    row('  no-op vs cold build', `${((100 * noop.wallMs) / cold.wallMs).toFixed(1)} %`, '<= 1 %', noop.wallMs <= cold.wallMs / 100 && noops.every((n) => n.noop && n.written === 0));
    // The same no-op through the command, as `npm run build` runs it (without npm's own start):
    // on Linux it starts the build's process itself (bin/malloc.cjs).
    const viaCommand = [0, 1, 2]
      .map(() => {
        const t0 = performance.now();
        const r = spawnSync(process.execPath, [join(here, '..', '..', 'bin', 'benchbook.cjs'), 'build', root, '--no-pdf'], { encoding: 'utf8', env: { ...process.env, CI: '1' } });
        if (r.status !== 0) throw new Error(`build failed (${r.status}): ${r.stderr}`);
        return performance.now() - t0;
      })
      .sort((a, b) => a - b);
    const commandMs = viaCommand[1] ?? 0;
    row('  no-op through the command', s(commandMs), '<= 1 %', commandMs <= cold.wallMs / 100, `(${((100 * commandMs) / cold.wallMs).toFixed(1)} % of the cold build; median of ${viaCommand.map(s).join(', ')}: node bin/benchbook.cjs build)`);
    // One experiment changed, three times (a result file's failed count set to 1, 2, 3), and
    // the median taken: a single build this short swings by half between runs on these machines.
    const victim = repo.ids[Math.floor(repo.ids.length / 2)] ?? '';
    const victimDir = join(root, 'artifacts', victim);
    const file = readdirSync(victimDir).find((f) => f.endsWith('.json')) ?? '';
    const ones = [1, 2, 3].map((failed) => {
      writeFileSync(join(victimDir, file), readFileSync(join(victimDir, file), 'utf8').replace(/"failed":\d+/, `"failed":${failed}`));
      return buildOnce(root, 'skip');
    });
    const one = median(ones);
    row('one experiment changed (median of 3)', s(one.wallMs), '', null, `(${ones.map((n) => s(n.wallMs)).join(', ')}; ${one.stats.rendered} of ${one.stats.experiments} experiments rendered, ${one.written} files written)`);
    row('  one changed vs cold build', `${((100 * one.wallMs) / cold.wallMs).toFixed(1)} %`, '<= 5 %', one.wallMs <= cold.wallMs / 20);
    // One experiment added (a push of a new result folder), three times over (101, 102, 103
    // experiments): it alone is rendered; every other site page gets the new sidebar around the
    // <main> it has.
    const addedDirs = [1, 2, 3].map((n) => join(root, 'artifacts', victim.replace(/_(\d{8})$/, `_again${n}_$1`)));
    const adds = addedDirs.map((added) => {
      cpSync(victimDir, added, { recursive: true });
      return buildOnce(root, 'skip');
    });
    const add = median(adds);
    row('one experiment added (median of 3)', s(add.wallMs), '', null, `(${adds.map((n) => s(n.wallMs)).join(', ')}; ${add.stats.rendered} of ${add.stats.experiments} experiments rendered; site pages: ${add.stats.pages} made, ${add.stats.framed} framed again; ${add.written} files written)`);
    row('  one added vs cold build', `${((100 * add.wallMs) / cold.wallMs).toFixed(1)} %`, '<= 5 %', add.wallMs <= cold.wallMs / 20);
    for (const added of addedDirs) rmSync(added, { recursive: true, force: true });
    // The same push as CI builds it: a fresh checkout elsewhere with the cache and site/ restored
    // (.github/workflows/pages.yml), so that every file has a new inode and new times.
    const ciRoot = join(dir, 'checkout');
    buildOnce(root, 'skip'); // back to the repository the push starts from
    const cis = [0, 1, 2].map(() => {
      rmSync(ciRoot, { recursive: true, force: true });
      cpSync(root, ciRoot, { recursive: true });
      cpSync(victimDir, join(ciRoot, 'artifacts', basename(addedDirs[0] ?? '')), { recursive: true });
      spawnSync('sync');
      return buildOnce(ciRoot, 'skip');
    });
    rmSync(ciRoot, { recursive: true, force: true });
    const ci = median(cis);
    row('one added, fresh checkout (median of 3)', s(ci.wallMs), '', null, `(${cis.map((n) => s(n.wallMs)).join(', ')}; the cache and site/ restored as CI does, every file with new stamps; ${ci.stats.rendered} of ${ci.stats.experiments} experiments rendered, ${ci.written} files written; scan ${s(ci.timings['scan'] ?? 0)}, the inputs hashed again)`);
    row('  fresh checkout vs cold build', `${((100 * ci.wallMs) / cold.wallMs).toFixed(1)} %`, '<= 5 %', ci.wallMs <= cold.wallMs / 20 && cis.every((n) => n.stats.rendered === 1));
    const most = (builds: Once[]) => Math.max(...builds.map((b) => b.maxRssMiB));
    const peak = Math.max(cold.maxRssMiB, most(noops), most(ones), most(adds), most(cis));
    row('peak RSS (cold build)', `${cold.maxRssMiB.toFixed(0)} MiB`, '< 500 MiB', peak < 500, `(at most: no-op ${most(noops).toFixed(0)} MiB, one changed ${most(ones).toFixed(0)} MiB, one added ${most(adds).toFixed(0)} MiB, fresh checkout ${most(cis).toFixed(0)} MiB)`);
    row('log parsing (parseFile, as built)', `${mbps.toFixed(0)} MB/s`, '>= 300 MB/s', mbps >= 300, `(${(repo.logBytes / 1e6).toFixed(0)} MB in ${s(logMs)}; within the cold build: ${(cold.stats.bytesRead / 1e6 / (cold.stats.ingestMs / 1000)).toFixed(0)} MB/s incl. result files)`);
    row('  log parsing vs bare line scan', `${((100 * logs.floorMs) / logMs).toFixed(0)} %`, '>= 40 %', logs.floorMs / logMs >= 0.4, `(scan ${scanMbps.toFixed(0)} MB/s, ${logs.lines} lines, same process and bytes)`);
    row('ms per chart (SVG + PNG)', `${(cold.stats.chartMs / Math.max(1, cold.stats.charts)).toFixed(1)} ms`, '', null, `(${cold.stats.charts} charts in ${s(cold.stats.chartMs)})`);
    console.log(`  cold build stages: ${Object.entries(cold.timings).map(([k, v]) => `${k} ${s(v)}`).join(', ')}; parsing ${s(cold.stats.ingestMs)} (summed over renderers)`);

    // The same cold build with one renderer (BENCHBOOK_WORKERS=1): the time and memory trade.
    for (const out of ['README.md', 'README.en.md', 'reports', 'images', 'site', '.benchbook-cache']) rmSync(join(root, out), { recursive: true, force: true });
    const single = buildOnce(root, 'skip', { BENCHBOOK_WORKERS: '1' });
    row('cold build, one renderer', s(single.wallMs), '', null, `(BENCHBOOK_WORKERS=1; peak RSS ${single.maxRssMiB.toFixed(0)} MiB, target < 500 MiB: ${verdict(single.maxRssMiB < 500)})`);

    // Cold build with PDFs, on a sample of the experiments.
    const browser = findBrowser();
    const sample = join(dir, 'sample');
    mkdirSync(join(sample, 'artifacts'), { recursive: true });
    for (const id of repo.ids.slice(0, PDF_EXPERIMENTS)) cpSync(join(root, 'artifacts', id), join(sample, 'artifacts', id), { recursive: true });
    if (browser) {
      const pdf = buildOnce(sample, 'require');
      row(`cold build with PDF (${PDF_EXPERIMENTS} experiments)`, s(pdf.wallMs), '', null, `(${pdf.pdf.made} PDFs; PDF stage ${s(pdf.timings['pdf'] ?? 0)})`);
      row('ms per PDF', `${mean(pdf.pdf.msPerPdf).toFixed(0)} ms`, '', null, `(browser start ${pdf.pdf.launchMs.toFixed(0)} ms, once per build)`);
      const pdfDir = join(sample, 'site', 'pdf');
      const pages = readdirSync(pdfDir).map((f) => pdfPages(readFileSync(join(pdfDir, f))));
      const perPage = (mean(pdf.pdf.msPerPdf) * pdf.pdf.msPerPdf.length) / Math.max(1, pages.reduce((a, b) => a + b, 0));
      row('  ms per PDF page', `${perPage.toFixed(0)} ms`, '', null, `(${pages.reduce((a, b) => a + b, 0)} pages in ${pages.length} PDFs, browser already up)`);
    } else {
      console.log('cold build with PDF                skipped: no Chromium found (set BENCHBOOK_CHROME)');
    }

    // The same charts and pages, one process per file.
    // The charts of the first CHART_EXPERIMENTS experiments (every kind), in both locales: the
    // chart path amortised as in a build, where most charts' shape was compiled for an earlier one.
    const charted = join(dir, 'charted');
    for (const id of repo.ids.slice(0, CHART_EXPERIMENTS)) cpSync(join(root, 'artifacts', id), join(charted, 'artifacts', id), { recursive: true });
    const model = await ingest(join(charted, 'artifacts'));
    const specs = ['zh', 'en'].flatMap((locale) => {
      const strings = loadStrings(templatesDirFor(charted), locale);
      return model.experiments.flatMap((e) => chartsFor(derive(e), strings, locale, digitsFor(e.runs)).map((c) => c.spec));
    });

    // Floors, in this process on the sample: the chart path against resvg alone on its final SVGs,
    // the page path against the bare unified pipeline on the same Markdown.
    await chartFloor(specs.slice(0, 2));
    const charts = await chartFloor(specs);
    row('chart path vs resvg alone', `${(charts.pathMs / charts.floorMs).toFixed(2)}×`, '<= 1.5×', charts.pathMs <= 1.5 * charts.floorMs, `(${(charts.pathMs / charts.items).toFixed(1)} ms vs ${(charts.floorMs / charts.items).toFixed(1)} ms a chart, ${charts.items} charts in sequence; the build: ${(cold.stats.chartMs / Math.max(1, cold.stats.charts)).toFixed(1)} ms a chart summed over renderers)`);
    const rendered = await renderAll(sample);
    const locales = ['zh', 'en'];
    const pageInputs = [...rendered.outputs]
      .filter(([k]) => /^reports\/.+\.(zh|en)\.md$/.test(k))
      .map(([k, v]) => {
        const [, slug = '', locale = 'en'] = /^reports\/(.+)\.(zh|en)\.md$/.exec(k) ?? [];
        const entry: SiteEntry = { slug, locale, title: slug, card: '' };
        return { entry, markdown: v.toString('utf8') };
      });
    const shared = { locales, defaultLocale: 'zh', strings: Object.fromEntries(locales.map((l) => [l, loadStrings(templatesDirFor(sample), l)])), withPdf: false };
    pageFloor(pageInputs.slice(0, 2), shared, rendered.svgs);
    const pagesFloor = pageFloor(pageInputs, shared, rendered.svgs);
    row('page path vs remark/rehype alone', `${(pagesFloor.pathMs / pagesFloor.floorMs).toFixed(2)}×`, '<= 2×', pagesFloor.pathMs <= 2 * pagesFloor.floorMs, `(${(pagesFloor.pathMs / pagesFloor.items).toFixed(1)} ms vs ${(pagesFloor.floorMs / pagesFloor.items).toFixed(1)} ms a page, ${pagesFloor.items} pages)`);
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
    row('  benchbook cold build vs that', `${ratio.toFixed(1)}× faster`, '>= 50×', ratio >= 50);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
