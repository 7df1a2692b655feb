/**
 * Build: artifacts → reports, README navigation, charts, site and PDFs.
 *
 *   1. Scan        artifacts/ → experiment folders (stat only)
 *   2. Key         each experiment by the content of its files and the build's templates and config
 *   3. Experiments each one not in the cache: parse, derive, charts (SVG → PNG), Markdown per locale
 *   4. README      per locale, from every experiment's small entry
 *   5. Site        a page per report per locale (again only when its report or the sidebar changed),
 *                  index pages, CSS, one font subset for every page
 *   6. PDFs        of the site pages that changed, through one browser
 *   7. Clean       owned files no longer produced; the cache index, last and atomically
 *
 * `renderAll` runs the same stages into memory without a cache; `build` writes to disk with one.
 * Rendering modules (vega, resvg, unified, Handlebars) are loaded only when something must be
 * rendered, so a build with nothing to do stays fast.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BuildCache, sha256 } from './cache.js';
import { readConfig, type BuildConfig } from './config.js';
import type { Experiment, Message, Model } from './model.js';
import type { ExperimentEntry, ExperimentPages, ExperimentProduct, RenderContext } from './render/experiment.js';
import type { RenderPool } from './render/pool.js';
import { indexName, pdfPath, sitePagePath } from './render/html/paths.js';
import type { SiteEntry, SiteShared } from './render/html/site.js';
import { messages as catalog } from './messages.js';
import { loadStrings, type Strings } from './render/strings.js';
import { messagesAbout, scan } from './scan/scan.js';
import { DiskSink, MemorySink, type Owned, type Sink, type WriteResult } from './write/write.js';

/** The templates folder: the repository's own when it has one, else the one shipped with benchbook. */
export function templatesDirFor(root: string): string {
  const own = join(root, 'templates');
  if (existsSync(join(own, 'en', 'report.md.hbs')) || existsSync(join(own, 'zh', 'report.md.hbs'))) return own;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++) {
    if (existsSync(join(dir, 'templates', 'en', 'report.md.hbs'))) return join(dir, 'templates');
    dir = dirname(dir);
  }
  throw new Error('benchbook: no templates folder found');
}

function packageVersion(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++) {
    const p = join(dir, 'package.json');
    if (existsSync(p)) return (JSON.parse(readFileSync(p, 'utf8')) as { version?: string }).version ?? '0';
    dir = dirname(dir);
  }
  return '0';
}

/** Every file under `dir` whose name `keep` accepts, sorted: relative path, then content, for hashing. */
function treeParts(dir: string, keep: (name: string) => boolean): string[] {
  const parts: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (keep(name)) parts.push(relative(dir, p), readFileSync(p, 'utf8'));
    }
  };
  walk(dir);
  return parts;
}

let ownCode: string | null = null;

/**
 * What benchbook itself is: its version and its own code (every module beside this one), so that
 * a changed benchbook never serves outputs its older self made.
 */
function toolStamp(): string {
  ownCode ??= sha256(packageVersion(), ...treeParts(dirname(fileURLToPath(import.meta.url)), (n) => /\.(js|ts)$/.test(n)));
  return ownCode;
}

export function slugOf(id: string, taken: Set<string>): string {
  const base = id.normalize('NFKD').replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[-.]+|-+$/g, '') || 'experiment';
  let slug = base;
  for (let i = 2; taken.has(slug); i++) slug = `${base}-${i}`;
  taken.add(slug);
  return slug;
}

export const OWNED: Owned[] = [
  { dir: 'reports', pattern: /\.md$/ },
  { dir: 'images', pattern: /\.(png|svg)$/ },
  { dir: 'site', pattern: /\.html$/ },
  { dir: 'site/assets', pattern: /\.(css|ttf)$/ },
  { dir: 'site/pdf', pattern: /\.pdf$/ },
];

export type PdfMode = 'auto' | 'require' | 'skip';

export type Stage = 'scan' | 'experiments' | 'readme' | 'site' | 'font' | 'pdf';

/** Called as a build goes: `done` of `total` units of `stage`. */
export type ProgressFn = (stage: Stage, done: number, total: number) => void;

export interface BuildStats {
  experiments: number;
  /** Experiments rendered this time (the rest came from the cache). */
  rendered: number;
  charts: number;
  chartMs: number;
  pages: number;
  /** Bytes of artifact files read by the experiments rendered. */
  bytesRead: number;
  ingestMs: number;
}

interface Prepared {
  config: BuildConfig;
  configMessages: Message[];
  templatesDir: string;
  strings: Record<string, Strings>;
  appendix: string | null;
  css: string;
  /** What every experiment's rendering depends on besides its files: benchbook's code, config, templates. */
  stamp: string;
}

async function prepare(root: string): Promise<Prepared> {
  const { config, messages: configMessages } = await readConfig(root);
  const templatesDir = templatesDirFor(root);
  const strings = Object.fromEntries(config.locales.map((l) => [l, loadStrings(templatesDir, l)]));
  const docs = join(root, 'docs', 'benchbook.md');
  const appendix = existsSync(docs) ? await readFile(docs, 'utf8') : null;
  const css = await readFile(join(templatesDir, 'site', 'style.css'), 'utf8');
  const stamp = sha256(toolStamp(), JSON.stringify(config), JSON.stringify(configMessages), ...treeParts(templatesDir, () => true));
  return { config, configMessages, templatesDir, strings, appendix, css, stamp };
}

/** An experiment rendered, here (with its model) or by a worker (without). */
type Rendering = Omit<ExperimentProduct, 'experiment'> & { experiment?: Experiment };

/** What a worker sends back for an experiment (files as plain byte arrays). */
interface WorkerProduct extends Omit<ExperimentProduct, 'experiment' | 'files'> {
  files: [string, Uint8Array][];
}

interface RunOptions {
  withPdf: boolean;
  cache: BuildCache | null;
  /** A render pool for `work` experiments' worth of rendering, or none (everything in this thread). */
  pool?: ((tasks: number) => RenderPool) | undefined;
  onProgress?: ProgressFn | undefined;
}

interface RunResult {
  config: BuildConfig;
  /** The experiments of this build: id → key (empty without a cache). */
  keys: Map<string, string>;
  experiments: Experiment[];
  messages: Message[];
  svgs: Map<string, string>;
  /** Site report pages produced or kept: their PDF paths and the key of what each was made from. */
  sitePages: { html: string; pdf: string }[];
  fontKey: string;
  cssKey: string;
  stats: BuildStats;
  timings: Record<string, number>;
  /** Nothing had changed: the previous build's outputs were all kept. */
  noop: boolean;
}

/** The stages, into any sink; with a cache, only what changed is rendered. */
async function run(root: string, sink: Sink, options: RunOptions): Promise<RunResult> {
  const { cache, withPdf } = options;
  const progress = options.onProgress ?? (() => {});
  const timings: Record<string, number> = {};
  const clock = () => performance.now();
  let t0 = clock();
  const prep = await prepare(root);
  const { config } = prep;

  // 1. Scan
  progress('scan', 0, 1);
  const artifacts = join(root, 'artifacts');
  if (!existsSync(artifacts) || !statSync(artifacts).isDirectory()) {
    throw new Error(`no artifacts folder at ${artifacts}: expected ${join(root, 'artifacts', '<experiment>_<YYYYMMDD>')}/ folders with the results`);
  }
  const scanned = await scan(artifacts);
  const taken = new Set<string>();
  const plan = scanned.experiments.map((exp) => ({ exp, slug: slugOf(exp.id, taken), key: '', scanMessages: [] as Message[] }));
  for (const p of plan) p.scanMessages = messagesAbout(p.exp.id, scanned.messages);

  // 2. Key
  if (cache) {
    for (const p of plan) {
      const files: string[] = [];
      for (const f of p.exp.files) files.push(`${f.rel}\u0000${await cache.inputHash(f.path)}`);
      if (p.exp.configFile) files.push(`experiment.yaml\u0000${await cache.inputHash(p.exp.configFile)}`);
      for (const [l, path] of Object.entries(p.exp.notes).sort()) files.push(`notes.${l}\u0000${await cache.inputHash(path)}`);
      p.key = sha256(prep.stamp, p.exp.id, p.exp.date, p.slug, JSON.stringify(p.scanMessages), ...files);
    }
  }
  progress('scan', 1, 1);
  timings['scan'] = clock() - t0;
  // The README pair also holds docs/benchbook.md.
  const globalKey = sha256(prep.stamp, prep.appendix ?? '', String(withPdf), JSON.stringify(scanned.messages), ...plan.map((p) => p.key));
  const base: Pick<RunResult, 'config' | 'keys' | 'stats' | 'timings'> = {
    config,
    keys: new Map(plan.map((p) => [p.exp.id, p.key])),
    stats: { experiments: plan.length, rendered: 0, charts: 0, chartMs: 0, pages: 0, bytesRead: 0, ingestMs: 0 },
    timings,
  };

  // Nothing changed since the last finished build, and its outputs are untouched: keep them all.
  if (cache && cache.global === globalKey) {
    const entries = plan.map((p) => cache.experiment(p.exp.id, p.key));
    const outputs = cache.outputs();
    if (entries.every((e) => e !== null) && cache.intact(outputs)) {
      for (const rel of outputs) sink.keep(rel);
      return {
        ...base,
        experiments: [],
        messages: [...prep.configMessages, ...scanned.messages, ...entries.flatMap((e) => (e as ExperimentEntry).messages)],
        svgs: new Map(),
        sitePages: plan.flatMap((p) => config.locales.map((l) => ({ html: sitePagePath(p.slug, l), pdf: pdfPath(p.slug, l) }))),
        fontKey: cache.keyOf('site/assets/font.ttf') ?? '',
        cssKey: sha256(prep.css),
        noop: true,
      };
    }
  }

  // 3. Experiments: the ones the cache has are kept; the others rendered, on every core.
  t0 = clock();
  const ctx: RenderContext = { root, locales: config.locales, strings: prep.strings, templatesDir: prep.templatesDir };
  const entries: ExperimentEntry[] = new Array<ExperimentEntry>(plan.length);
  const experiments: Experiment[] = [];
  const inMemory = new Map<string, ExperimentPages>();
  const svgs = new Map<string, string>();
  const stats = base.stats;
  const todo: number[] = [];
  for (const [i, p] of plan.entries()) {
    const hit = cache?.experiment(p.exp.id, p.key) ?? null;
    if (hit && cache?.intact(hit.outputs)) {
      for (const rel of hit.outputs) sink.keep(rel);
      entries[i] = hit;
    } else todo.push(i);
  }
  let finished = plan.length - todo.length;
  progress('experiments', finished, plan.length);
  let pool = options.pool?.(todo.length) ?? null;
  const take = async (i: number, product: Rendering) => {
    const p = plan[i] as (typeof plan)[number];
    stats.rendered++;
    stats.charts += product.charts;
    stats.chartMs += product.timings.charts;
    stats.ingestMs += product.timings.ingest;
    stats.bytesRead += p.exp.files.reduce((a, f) => a + f.size, 0);
    for (const [rel, content] of product.files) await sink.put(rel, content);
    entries[i] = product.entry;
    if (cache) {
      cache.setExperiment(p.exp.id, p.key, product.entry);
      await cache.savePages(p.key, product.pages);
    } else {
      if (product.experiment) experiments.push(product.experiment);
      inMemory.set(p.exp.id, product.pages);
      for (const [stem, svg] of Object.entries(product.pages.svgs)) svgs.set(stem, svg);
    }
    progress('experiments', ++finished, plan.length);
  };
  // An experiment that cannot be rendered (a bug, not bad input: parsers report that) loses its own
  // report only: a message says why, and nothing of it is cached, so the next build tries again.
  const failed = (i: number, e: unknown) => {
    const p = plan[i] as (typeof plan)[number];
    const reason = e instanceof Error ? e.message.split('\n')[0] ?? '' : String(e);
    entries[i] = { id: p.exp.id, slug: p.slug, messages: [catalog.renderFailed(p.exp.id, reason)], chars: '', readme: {}, site: [], outputs: [] };
    progress('experiments', ++finished, plan.length);
  };
  const parallel = () => pool !== null && pool.parallel > 1;
  const renderOne = async (i: number): Promise<Rendering> => {
    const p = plan[i] as (typeof plan)[number];
    if (pool !== null && parallel()) {
      const r = await pool.run<WorkerProduct>({ kind: 'experiment', ctx, scanned: p.exp, slug: p.slug, scanMessages: p.scanMessages });
      return { ...r, files: new Map(r.files.map(([k, v]) => [k, Buffer.from(v.buffer, v.byteOffset, v.byteLength)])) };
    }
    const { renderExperiment } = await import('./render/experiment.js');
    return renderExperiment(ctx, p.exp, p.slug, p.scanMessages);
  };
  const renderAndTake = async (i: number): Promise<void> => {
    let product: Rendering;
    try {
      product = await renderOne(i);
    } catch (e) {
      failed(i, e);
      return;
    }
    await take(i, product);
  };
  try {
    if (parallel()) await Promise.all(todo.map(renderAndTake));
    else for (const i of todo) await renderAndTake(i);
  } catch (e) {
    await pool?.close();
    throw e;
  }
  timings['experiments'] = clock() - t0;

  // 4. README per locale
  t0 = clock();
  progress('readme', 0, 1);
  const { readmeView } = await import('./render/markdown/view.js');
  const { templatesFor, tidy } = await import('./render/markdown/templates.js');
  for (const locale of config.locales) {
    const view = readmeView(entries.map((e) => e.readme[locale]).filter((r) => r !== undefined), locale, config.locales, config.defaultLocale, prep.appendix);
    await sink.put(locale === config.defaultLocale ? 'README.md' : `README.${locale}.md`, tidy(templatesFor(prep.templatesDir, locale).readme(view)));
  }
  progress('readme', 1, 1);
  timings['readme'] = clock() - t0;

  // 5. Site: report pages (again only when their report or their sidebar changed), indexes, CSS.
  t0 = clock();
  const site = await import('./render/html/site.js');
  const shared: SiteShared = { locales: config.locales, defaultLocale: config.defaultLocale, strings: prep.strings, withPdf };
  const siteEntries: SiteEntry[] = entries.flatMap((e) => e.site);
  const navKeys = Object.fromEntries(config.locales.map((l) => [l, sha256(JSON.stringify(site.navFor(siteEntries, l, null)))]));
  const sitePages: RunResult['sitePages'] = [];
  const nav = siteEntries.map((e) => ({ ...e, card: '' }));
  // Which pages to render: those whose report or sidebar changed since they were written.
  const stale: { i: number; s: SiteEntry; html: string; pageKey: string }[] = [];
  for (const [i, p] of plan.entries()) {
    for (const s of (entries[i] as ExperimentEntry).site) {
      const html = sitePagePath(s.slug, s.locale);
      sitePages.push({ html, pdf: pdfPath(s.slug, s.locale) });
      const pageKey = sha256(p.key, navKeys[s.locale] ?? '', String(withPdf));
      if (cache?.fresh(html, pageKey)) sink.keep(html);
      else stale.push({ i, s, html, pageKey });
    }
  }
  let done = siteEntries.length - stale.length;
  progress('site', done, siteEntries.length);
  if (!pool || pool.parallel < 2) pool = options.pool?.(stale.length / 8) ?? pool;
  const jobs: Promise<void>[] = [];
  try {
    let current = null as { i: number; pages: ExperimentPages; svgs: Map<string, string> | null } | null;
    for (const { i, s, html, pageKey } of stale) {
      const p = plan[i] as (typeof plan)[number];
      if (current?.i !== i) {
        let pages = inMemory.get(p.exp.id) ?? (cache ? await cache.loadPages(p.key) : null);
        if (!pages) {
          // The cache lost what the pages are made from (deleted, unreadable): render the experiment again.
          const product = await renderOne(i);
          await take(i, product);
          pages = product.pages;
        }
        current = { i, pages, svgs: null };
      }
      const markdown = current.pages.markdown[s.locale] ?? '';
      const finish = async (text: string) => {
        await sink.put(html, text);
        stats.pages++;
        cache?.setKey(html, pageKey);
        progress('site', ++done, siteEntries.length);
      };
      if (pool !== null && parallel()) jobs.push(pool.run<string>({ kind: 'page', shared, nav, entry: s, markdown, svgs: current.pages.svgs }).then(finish));
      else {
        current.svgs ??= new Map(Object.entries(current.pages.svgs));
        await finish(site.reportPage(shared, siteEntries, s, markdown, current.svgs));
      }
    }
    await Promise.all(jobs);
  } finally {
    await pool?.close();
  }
  progress('site', siteEntries.length, siteEntries.length);
  for (const locale of config.locales) await sink.put(`site/${indexName(locale, config.defaultLocale)}`, site.indexPage(shared, siteEntries, locale));
  for (const [rel, text] of site.staticFiles(prep.css)) await sink.put(rel, text);
  timings['site'] = clock() - t0;

  // One font subset for every page: the characters of all experiments and the shared words.
  t0 = clock();
  progress('font', 0, 1);
  const chars = [...new Set(entries.map((e) => e.chars).join('') + site.sharedText(shared))].sort().join('');
  const fontKey = sha256(chars);
  const fontPath = 'site/assets/font.ttf';
  if (cache?.fresh(fontPath, fontKey)) sink.keep(fontPath);
  else {
    const { subsetFor } = await import('./render/charts/font.js');
    await sink.put(fontPath, await subsetFor(chars));
    cache?.setKey(fontPath, fontKey);
  }
  progress('font', 1, 1);
  timings['font'] = clock() - t0;
  if (cache) cache.global = globalKey;

  const messages = [...prep.configMessages, ...scanned.messages, ...entries.flatMap((e) => e.messages)];
  return { ...base, experiments, messages, svgs, sitePages, fontKey, cssKey: sha256(prep.css), noop: false };
}

export interface Rendered {
  model: Model;
  config: BuildConfig;
  /** Output path (relative to the root) → content. */
  outputs: Map<string, Buffer>;
  /** Chart SVGs by image path stem (images/<slug>-<id>.<locale>), for the site. */
  svgs: Map<string, string>;
  messages: Message[];
  timings: Record<string, number>;
}

export interface RenderOptions {
  /** Whether the site links to PDFs (they are made by `build` when a browser was found). */
  withPdf?: boolean;
}

/** Every output in memory, nothing cached or written (PDFs aside, which need the files on disk). */
export async function renderAll(root: string, options: RenderOptions = {}): Promise<Rendered> {
  const sink = new MemorySink();
  const r = await run(root, sink, { withPdf: options.withPdf ?? false, cache: null });
  return { model: { experiments: r.experiments, messages: r.messages }, config: r.config, outputs: sink.files, svgs: r.svgs, messages: r.messages, timings: r.timings };
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
  pdf: { browser: string | null; count: number; made: number; msPerPdf: number[]; launchMs: number; note: string | null };
}

export async function build(root: string, pdfModeOrOptions: PdfMode | BuildOptions = {}): Promise<BuildResult> {
  const options: BuildOptions = typeof pdfModeOrOptions === 'string' ? { pdf: pdfModeOrOptions } : pdfModeOrOptions;
  const pdfMode = options.pdf ?? 'auto';
  const { BROWSER_HINT, findBrowser } = await import('./render/pdf/browser.js');
  const browser = pdfMode === 'skip' ? null : findBrowser();
  if (pdfMode === 'require' && browser === null) throw new Error(BROWSER_HINT);
  const cache = options.cache === false ? null : await BuildCache.load(root, packageVersion());
  const sink = new DiskSink(root, (b) => sha256(b), cache);
  const { RenderPool, workerCount } = await import('./render/pool.js');
  let pool: RenderPool | null = null;
  const r = await run(root, sink, {
    withPdf: browser !== null,
    cache,
    onProgress: options.onProgress,
    pool: (work) => {
      if (pool === null || pool.parallel < 2) pool = RenderPool.create(workerCount(work));
      return pool;
    },
  });
  const pdf: BuildResult['pdf'] = { browser, count: 0, made: 0, msPerPdf: [], launchMs: 0, note: null };
  if (browser === null && pdfMode === 'auto') pdf.note = BROWSER_HINT;

  // 6. PDFs of the site pages whose HTML, CSS or font changed.
  if (browser !== null) {
    const t0 = performance.now();
    const jobs: { html: string; out: string }[] = [];
    const keys = new Map<string, string>();
    for (const page of r.sitePages) {
      const key = sha256(cache?.output(page.html)?.hash ?? '', r.fontKey, r.cssKey);
      keys.set(page.pdf, key);
      if (cache?.fresh(page.pdf, key)) sink.keep(page.pdf);
      else jobs.push({ html: join(root, page.html), out: page.pdf });
    }
    pdf.count = r.sitePages.length;
    if (jobs.length > 0) {
      const { launchBrowser, renderPdfs } = await import('./render/pdf/pdf.js');
      options.onProgress?.('pdf', 0, jobs.length);
      const { browser: b, close } = await launchBrowser(browser);
      pdf.launchMs = performance.now() - t0;
      try {
        const pdfs = await renderPdfs(b, jobs, (n) => options.onProgress?.('pdf', n, jobs.length));
        for (const [rel, v] of pdfs) {
          await sink.put(rel, v.pdf);
          cache?.setKey(rel, keys.get(rel) ?? '');
          pdf.msPerPdf.push(v.ms);
        }
        pdf.made = pdfs.size;
      } finally {
        await close();
      }
    }
    r.timings['pdf'] = performance.now() - t0;
  }

  // 7. Clean, then the cache index, last.
  await sink.finish(OWNED);
  if (cache) {
    await cache.save(new Set(r.keys.keys()), new Set(r.keys.values()), sink.expected);
  }
  return { messages: r.messages, written: sink.result, files: sink.expected.size, noop: r.noop, stats: r.stats, timings: r.timings, pdf };
}
