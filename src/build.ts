/**
 * Build: artifacts → reports, README navigation, charts, site and PDFs, as a numbered list of stages
 * (src/pipeline/stages.ts names them; each is a function in src/pipeline/stages/):
 *
 *   1. Scan        artifacts/ → experiments, each keyed by the content of its files and the build's stamp
 *   2. Experiments each one the cache lacks: load → derive → render (charts, reports), on every core
 *   3. Overview    series of each configuration across experiments, regressions, the best per model and hardware
 *   4. README      per locale, from every experiment's entry and the overview
 *   5. Site        a page per report per locale (again only when its report or sidebar changed), indexes, CSS
 *   6. Font        one subset for every page
 *   7. PDFs        of the site pages that changed, through one browser
 *   8. Clean-up    owned files no longer produced; the cache index, last and atomically
 *
 * `renderAll` runs stages 1–6 into memory without a cache; `build` writes to disk with one. A build
 * with nothing changed keeps every output after stage 1 and loads no renderer.
 */
import { messages } from './messages.js';
import { BuildCache } from './cache.js';
import { sha256 } from './hash.js';
import type { BuildConfig } from './config.js';
import type { Message } from './model.js';
import { packageVersion, prepare } from './pipeline/context.js';
import type { ProgressFn, Stage } from './pipeline/stages.js';
import { cleanStage } from './pipeline/stages/clean.js';
import type { PdfResult } from './pipeline/stages/pdf.js';
import { scanStage } from './pipeline/stages/scan.js';
import { keepUnchanged } from './pipeline/stages/unchanged.js';
import type { RenderPool as RenderPoolType } from './pipeline/pool.js';
import { messagesOf, newState, type BuildState, type BuildStats, type PoolSource } from './pipeline/state.js';
import { DiskSink, MemorySink, type WriteResult } from './write/write.js';

export type { BuildStats, ProgressFn, Stage };
export type PdfMode = 'auto' | 'require' | 'skip';

/** Stages that report progress in their own units (experiments, pages, PDFs); the others count as one. */
const COUNTED: ReadonlySet<Stage> = new Set(['experiments', 'site', 'pdf']);

/** Runs `stage` and records its time under `name`. */
async function timed(state: BuildState, name: Stage, stage: (s: BuildState) => Promise<void>): Promise<void> {
  const t0 = performance.now();
  if (!COUNTED.has(name)) state.progress(name, 0, 1);
  await stage(state);
  if (!COUNTED.has(name)) state.progress(name, 1, 1);
  state.timings[name] = performance.now() - t0;
}

/** Stages 1–6: what every build makes, into `sink`; with a cache, only what changed is rendered. */
async function make(state: BuildState): Promise<void> {
  // 1. Scan: the experiments and their keys
  await timed(state, 'scan', scanStage);
  // Nothing changed: every output is kept, nothing is rendered
  if (keepUnchanged(state)) return;
  // 2. Experiments: load → derive → render each one the cache lacks
  await timed(state, 'experiments', (await import('./pipeline/stages/experiments.js')).experimentsStage);
  // 3. Overview across experiments (series, regressions, best per model and hardware)
  await timed(state, 'overview', (await import('./pipeline/stages/overview.js')).overviewStage);
  // 4. README per locale
  await timed(state, 'readme', (await import('./pipeline/stages/readme.js')).readmeStage);
  // 5. Site pages, indexes, CSS; the render pool is done after this
  await timed(state, 'site', (await import('./pipeline/stages/site.js')).siteStage);
  await state.pool?.close();
  // 6. Font subset for every page
  await timed(state, 'font', (await import('./pipeline/stages/font.js')).fontStage);
}

export interface Rendered {
  config: BuildConfig;
  /** Output path (relative to the root) → content. */
  outputs: Map<string, Buffer>;
  /** Chart SVGs by image path stem (images/<slug>-<chart>.<locale>), for the site. */
  svgs: Map<string, string>;
  messages: Message[];
  timings: Record<string, number>;
}

/** Every output in memory, nothing cached or written (PDFs aside, which need the files on disk). */
export async function renderAll(root: string, options: { withPdf?: boolean } = {}): Promise<Rendered> {
  const sink = new MemorySink();
  const state = newState(await prepare(root), sink, { cache: null, withPdf: options.withPdf ?? false, progress: () => {}, pool: null });
  await make(state);
  const svgs = new Map([...state.pages.values()].flatMap((p) => Object.entries(p.svgs)));
  return { config: state.ctx.config, outputs: sink.files, svgs, messages: messagesOf(state), timings: state.timings };
}

export interface BuildOptions {
  pdf?: PdfMode;
  /** Use and update `.benchbook-cache/` (default true). */
  cache?: boolean;
  onProgress?: ProgressFn;
}

export interface BuildResult {
  messages: Message[];
  written: WriteResult;
  /** Files the build produced or kept. */
  files: number;
  noop: boolean;
  stats: BuildStats;
  timings: Record<string, number>;
  pdf: PdfResult;
}

/** A build on disk: stages 1–6, then 7. PDFs and 8. clean-up. */
export async function build(root: string, options: BuildOptions = {}): Promise<BuildResult> {
  (await import('./pipeline/pool.js')).boundHeapGrowth();
  const { BROWSER_HINT, findBrowser } = await import('./write/browser.js');
  const browser = options.pdf === 'skip' ? null : findBrowser();
  if (options.pdf === 'require' && browser === null) throw new Error(BROWSER_HINT);
  const pdf: PdfResult = { browser, count: 0, made: 0, msPerPdf: [], launchMs: 0, note: browser === null && options.pdf !== 'skip' ? BROWSER_HINT : null };
  const cache = options.cache === false ? null : await BuildCache.load(root, packageVersion());
  const sink = new DiskSink(root, (b) => sha256(b), cache);
  const state = newState(await prepare(root), sink, { cache, withPdf: browser !== null, progress: options.onProgress ?? (() => {}), pool: await poolSource() });
  // The chart font the last build ended with, for charts to start from (read only if one is drawn).
  const fonts = cache ? await import('./pipeline/fonts.js') : null;
  const chartFontKey = fonts?.chartFontKey(state.ctx.stamp) ?? '';
  fonts?.seedChartFontFrom(() => cache?.loadChartFont(chartFontKey) ?? Promise.resolve(null));
  try {
    await make(state);
  } finally {
    state.stats.workersLost = state.pool?.lost ?? 0;
    await state.pool?.close();
  }
  // 7. PDFs of the site pages that changed
  if (browser !== null) await timed(state, 'pdf', async (s) => (await import('./pipeline/stages/pdf.js')).pdfStage(s, pdf));
  // 8. Clean-up, then the cache index, last; the chart font first, if it grew
  const grownFont = await fonts?.takeGrownChartFont();
  if (cache && grownFont) await cache.saveChartFont(chartFontKey, grownFont.chars, grownFont.bytes);
  await timed(state, 'clean', (s) => cleanStage(s, sink));
  const all = messagesOf(state);
  return { messages: pdf.note ? [...all, messages.noBrowser(pdf.note)] : all, written: sink.result, files: sink.expected.size, noop: state.noop, stats: state.stats, timings: state.timings, pdf };
}

/** The build's render pool, made when first asked for and kept once it has workers. */
async function poolSource(): Promise<PoolSource> {
  const { RenderPool, workerCount } = await import('./pipeline/pool.js');
  let pool: RenderPoolType | null = null;
  let lostBefore = 0;
  const get = (work: number): RenderPoolType => {
    if (pool === null || pool.parallel < 2) {
      lostBefore += pool?.lost ?? 0;
      pool = RenderPool.create(workerCount(work));
    }
    return pool;
  };
  return {
    get,
    async fresh(work) {
      // Too little work to start a worker for: the workers there are, already running, serve.
      if (pool !== null && pool.parallel > 1 && workerCount(work) < 2) return pool;
      if (pool !== null) {
        lostBefore += pool.lost;
        await pool.close();
        pool = null;
      }
      return get(work);
    },
    get lost() {
      return lostBefore + (pool?.lost ?? 0);
    },
    get current() {
      return pool;
    },
    async close() {
      await pool?.close();
    },
  };
}
