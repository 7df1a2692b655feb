/**
 * Build: artifacts → reports, README navigation and charts, per locale.
 *
 *   1. Ingest    artifacts/ → Model (scan, parse, pair)
 *   2. Derive    per experiment: comparisons, sweeps, flags, conclusions
 *   3. Charts    Vega-Lite specs per locale → SVG; one font subset for every chart → PNG
 *   4. Markdown  Handlebars templates per locale → reports/<slug>.<locale>.md, README(.<locale>).md
 *   5. Write     only what changed, atomically (write/write.ts)
 *
 * `renderAll` returns the outputs in memory; `build` writes them.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { derive, type Derived } from './assemble/derive.js';
import { readConfig, type BuildConfig } from './config.js';
import { ingest } from './ingest.js';
import type { Experiment, Message, Model } from './model.js';
import { subsetFor } from './render/charts/font.js';
import { renderSite, siteText, type SitePage } from './render/html/site.js';
import { BROWSER_HINT, findBrowser, launchBrowser, renderPdfs } from './render/pdf/pdf.js';
import { svgText, toPng, toSvg } from './render/charts/render.js';
import { chartsFor } from './render/charts/specs.js';
import { readmeView, reportView, type ChartRef, type ReadmeEntry } from './render/markdown/view.js';
import { loadTemplates, tidy } from './render/markdown/templates.js';
import { loadStrings } from './render/strings.js';
import { writeOutputs, type WriteResult } from './write/write.js';

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

export function slugOf(id: string, taken: Set<string>): string {
  const base = id.normalize('NFKD').replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[-.]+|-+$/g, '') || 'experiment';
  let slug = base;
  for (let i = 2; taken.has(slug); i++) slug = `${base}-${i}`;
  taken.add(slug);
  return slug;
}

function messagesOf(model: Model, exp: Experiment): Message[] {
  return model.messages.filter((m) => m.file === exp.id || m.file.startsWith(`${exp.id}/`)).map((m) => ({ ...m, file: m.file === exp.id ? '.' : m.file.slice(exp.id.length + 1) }));
}

async function readIfText(path: string, limit = 64 << 10): Promise<string> {
  try {
    const buf = await readFile(path);
    return buf.subarray(0, limit).toString('utf8');
  } catch {
    return '';
  }
}

export interface RenderOptions {
  /** Whether the site links to PDFs (they are made by `build` when a browser was found). */
  withPdf?: boolean;
}

export async function renderAll(root: string, options: RenderOptions = {}): Promise<Rendered> {
  const timings: Record<string, number> = {};
  const t = () => performance.now();
  let t0 = t();
  const { config, messages: configMessages } = await readConfig(root);
  // 1. Ingest
  const model = await ingest(join(root, 'artifacts'));
  model.messages.unshift(...configMessages);
  timings['ingest'] = t() - t0;
  const templatesDir = templatesDirFor(root);
  const strings = Object.fromEntries(config.locales.map((l) => [l, loadStrings(templatesDir, l)]));
  const templates = Object.fromEntries(config.locales.map((l) => [l, loadTemplates(templatesDir, l)]));

  // 2. Derive
  t0 = t();
  const taken = new Set<string>();
  const items = model.experiments.map((exp) => ({ exp, slug: slugOf(exp.id, taken), derived: derive(exp) as Derived }));
  timings['derive'] = t() - t0;

  // 3. Charts: SVG first, then one font subset for all of them, then PNG.
  t0 = t();
  const outputs = new Map<string, Buffer>();
  const svgs = new Map<string, string>();
  const chartRefs = new Map<string, ChartRef[]>();
  for (const item of items) {
    for (const locale of config.locales) {
      const refs: ChartRef[] = [];
      for (const chart of chartsFor(item.derived, strings[locale] ?? {})) {
        const stem = `images/${item.slug}-${chart.id}.${locale}`;
        svgs.set(stem, await toSvg(chart.spec, `${item.slug}-${chart.id}-${locale}`.replace(/[^A-Za-z0-9_-]/g, '_')));
        refs.push({ id: chart.id, title: chart.title, path: `${stem}.png` });
      }
      chartRefs.set(`${item.slug}|${locale}`, refs);
    }
  }
  timings['svg'] = t() - t0;

  // 4. Markdown
  t0 = t();
  const sitePages: SitePage[] = [];
  const appendix = existsSync(join(root, 'docs', 'benchbook.md')) ? await readFile(join(root, 'docs', 'benchbook.md'), 'utf8') : null;
  // Raw result files and messages, once per experiment whatever the number of locales.
  const perExperiment = new Map<string, { raw: Map<string, string>; messages: Message[] }>();
  for (const { exp } of items) {
    const raw = new Map<string, string>();
    for (const f of new Set([...exp.runs.map((r) => r.file), ...exp.accuracy.map((a) => a.file)])) raw.set(f, await readIfText(join(root, 'artifacts', exp.id, f)));
    perExperiment.set(exp.id, { raw, messages: messagesOf(model, exp) });
  }
  for (const locale of config.locales) {
    const tpl = templates[locale];
    if (!tpl) continue;
    const entries: ReadmeEntry[] = [];
    for (const item of items) {
      const { exp } = item;
      const { raw, messages } = perExperiment.get(exp.id) ?? { raw: new Map<string, string>(), messages: [] };
      const notesFile = exp.notes[locale];
      const notes = notesFile ? await readIfText(join(root, 'artifacts', exp.id, notesFile)) : null;
      const charts = chartRefs.get(`${item.slug}|${locale}`) ?? [];
      const view = reportView({ exp, derived: item.derived, slug: item.slug, locale, locales: config.locales, messages, notes, charts, raw });
      const markdown = tidy(tpl.report(view));
      outputs.set(`reports/${item.slug}.${locale}.md`, Buffer.from(markdown));
      sitePages.push({ slug: item.slug, locale, view, markdown });
      entries.push({ view, charts });
    }
    const readme = readmeView(entries, locale, config.locales, config.defaultLocale, appendix);
    outputs.set(locale === config.defaultLocale ? 'README.md' : `README.${locale}.md`, Buffer.from(tidy(tpl.readme(readme))));
  }
  timings['markdown'] = t() - t0;

  // 5. Font subset (every character of charts and pages) → PNG charts, and the site's web font.
  t0 = t();
  const siteInput = {
    locales: config.locales,
    defaultLocale: config.defaultLocale,
    pages: sitePages,
    svgs,
    strings,
    css: await readFile(join(templatesDir, 'site', 'style.css'), 'utf8'),
    withPdf: options.withPdf ?? false,
  };
  const font = await subsetFor([...svgs.values()].map(svgText).join('') + siteText(siteInput));
  outputs.set('site/assets/font.ttf', font);
  const fontDir = await mkdtemp(join(tmpdir(), 'benchbook-font-'));
  try {
    const fontFile = join(fontDir, 'font.ttf');
    await writeFile(fontFile, font);
    for (const [stem, svg] of svgs) outputs.set(`${stem}.png`, toPng(svg, fontFile));
  } finally {
    await rm(fontDir, { recursive: true, force: true });
  }
  timings['png'] = t() - t0;

  // 6. Site
  t0 = t();
  for (const [path, html] of renderSite(siteInput)) outputs.set(path, Buffer.from(html));
  timings['site'] = t() - t0;
  return { model, config, outputs, svgs, messages: model.messages, timings };
}

export const OWNED = [
  { dir: 'reports', pattern: /\.md$/ },
  { dir: 'images', pattern: /\.(png|svg)$/ },
  { dir: 'site', pattern: /\.html$/ },
  { dir: 'site/assets', pattern: /\.(css|ttf)$/ },
];

export type PdfMode = 'auto' | 'require' | 'skip';

export interface BuildResult {
  rendered: Rendered;
  written: WriteResult;
  pdf: { browser: string | null; count: number; msPerPdf: number[]; launchMs: number; note: string | null };
}

export async function build(root: string, pdfMode: PdfMode = 'auto'): Promise<BuildResult> {
  const browser = pdfMode === 'skip' ? null : findBrowser();
  if (pdfMode === 'require' && browser === null) throw new Error(BROWSER_HINT);
  const rendered = await renderAll(root, { withPdf: browser !== null });
  let t0 = performance.now();
  const written = await writeOutputs(root, rendered.outputs, OWNED);
  rendered.timings['write'] = performance.now() - t0;
  const pdf: BuildResult['pdf'] = { browser, count: 0, msPerPdf: [], launchMs: 0, note: null };
  if (browser === null) {
    if (pdfMode === 'auto') pdf.note = BROWSER_HINT;
    const removed = await writeOutputs(root, new Map(), [{ dir: 'site/pdf', pattern: /\.pdf$/ }]);
    written.removed.push(...removed.removed);
    return { rendered, written, pdf };
  }
  t0 = performance.now();
  const jobs = [...rendered.outputs.keys()]
    .filter((k) => /^site\/[^/]+\.[a-z]{2}(?:-[A-Za-z]+)?\.html$/.test(k) && !/^site\/index\./.test(k))
    .map((k) => ({ html: join(root, k), out: k.replace(/^site\/(.+)\.html$/, 'site/pdf/$1.pdf') }));
  const { browser: b, close } = await launchBrowser(browser);
  pdf.launchMs = performance.now() - t0;
  try {
    const pdfs = await renderPdfs(b, jobs);
    const files = new Map([...pdfs].map(([k, v]) => [k, v.pdf]));
    pdf.msPerPdf = [...pdfs.values()].map((v) => v.ms);
    pdf.count = files.size;
    const w = await writeOutputs(root, files, [{ dir: 'site/pdf', pattern: /\.pdf$/ }]);
    written.written.push(...w.written);
    written.unchanged.push(...w.unchanged);
    written.removed.push(...w.removed);
  } finally {
    await close();
  }
  rendered.timings['pdf'] = performance.now() - t0;
  return { rendered, written, pdf };
}
