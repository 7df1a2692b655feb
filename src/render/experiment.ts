/**
 * One experiment, start to finish: its artifacts → parse → derive → charts (SVG, PNG) → a Markdown
 * report per locale, plus the small entries the README and the site index need. Depends on nothing
 * but the experiment's own files and the build's templates, which is what lets the build cache it.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { derive } from '../assemble/derive.js';
import { ingestExperiment } from '../ingest.js';
import type { Experiment, Message } from '../model.js';
import type { ScannedExperiment } from '../scan/scan.js';
import { subsetFor } from './charts/font.js';
import { svgText, toPng, toPngAsync, toSvg } from './charts/render.js';
import { chartsFor } from './charts/specs.js';
import { siteEntry, type SiteEntry } from './html/site.js';
import { templatesFor, tidy } from './markdown/templates.js';
import { readmeReport, reportView, type ChartRef, type ReadmeReport } from './markdown/view.js';
import type { Strings } from './strings.js';

/** Characters number formatting may put in a chart that no spec holds (minus sign, micro, ellipsis …). */
const FORMAT_CHARS = '\u2212\u00b5\u2026\u00d7\u2013\u2014\u00a0%';

export interface RenderContext {
  root: string;
  locales: string[];
  strings: Record<string, Strings>;
  templatesDir: string;
}

/** What the README and the site need of one experiment: small and JSON, kept in the build cache. */
export interface ExperimentEntry {
  id: string;
  slug: string;
  /** This experiment's messages, files named relative to the artifacts folder. */
  messages: Message[];
  /** Every character its charts and pages show (for the site's font subset). */
  chars: string;
  readme: Record<string, ReadmeReport>;
  site: SiteEntry[];
  /** The files it renders (reports and PNG charts), relative to the root. */
  outputs: string[];
}

/** What the site pages of one experiment are made from: its Markdown per locale and chart SVGs by image stem. */
export interface ExperimentPages {
  markdown: Record<string, string>;
  svgs: Record<string, string>;
}

export interface ExperimentProduct {
  experiment: Experiment;
  entry: ExperimentEntry;
  pages: ExperimentPages;
  files: Map<string, Buffer>;
  charts: number;
  timings: { ingest: number; charts: number };
}

async function readIfText(path: string, limit = 64 << 10): Promise<string> {
  try {
    const buf = await readFile(path);
    return buf.subarray(0, limit).toString('utf8');
  } catch {
    return '';
  }
}

function uniqueChars(text: string): string {
  return [...new Set(text)].sort().join('');
}

function relativeTo(id: string, m: Message): Message {
  return { ...m, file: m.file === id ? '.' : m.file.startsWith(`${id}/`) ? m.file.slice(id.length + 1) : m.file };
}

/**
 * Renders one experiment. `scanMessages` are the scan's messages about its folder (shown in its
 * report; not repeated in the entry's messages, which hold what reading its files produced).
 */
export async function renderExperiment(ctx: RenderContext, scanned: ScannedExperiment, slug: string, scanMessages: Message[] = []): Promise<ExperimentProduct> {
  const messages: Message[] = [];
  let t0 = performance.now();
  const exp = await ingestExperiment(scanned, messages);
  const derived = derive(exp);
  const ingestMs = performance.now() - t0;
  t0 = performance.now();
  const files = new Map<string, Buffer>();
  const svgs = new Map<string, string>();
  const chartRefs = new Map<string, ChartRef[]>();

  // Charts: every SVG made here in turn, each rasterised to PNG on the thread pool meanwhile. The
  // PNGs' font is cut, before any SVG exists, to the characters of the specs (titles, labels, data)
  // plus what number formatting may add; should an SVG show any other, its PNGs are made again
  // with the exact set.
  const specs = ctx.locales.map((locale) => ({ locale, charts: chartsFor(derived, ctx.strings[locale] ?? {}) }));
  const specText = JSON.stringify(specs.map((x) => x.charts.map((c) => c.spec))) + FORMAT_CHARS;
  const pngs = new Map<string, Promise<Buffer>>();
  let inFlight: Promise<Buffer> | null = null;
  let chartText = '';
  const fontDir = await mkdtemp(join(tmpdir(), 'benchbook-font-'));
  try {
    const fontFile = join(fontDir, 'font.ttf');
    if (specs.some((x) => x.charts.length > 0)) await writeFile(fontFile, await subsetFor(specText));
    for (const { locale, charts } of specs) {
      const refs: ChartRef[] = [];
      for (const chart of charts) {
        const stem = `images/${slug}-${chart.id}.${locale}`;
        const svg = await toSvg(chart.spec, `${slug}-${chart.id}-${locale}`.replace(/[^A-Za-z0-9_-]/g, '_'));
        svgs.set(stem, svg);
        // One PNG in flight at a time: it overlaps the next SVG without piling up buffers.
        if (inFlight) await inFlight;
        inFlight = toPngAsync(svg, fontFile);
        pngs.set(stem, inFlight);
        refs.push({ id: chart.id, title: chart.title, path: `${stem}.png` });
      }
      chartRefs.set(locale, refs);
    }
    const done = await Promise.all([...pngs].map(async ([stem, png]) => [stem, await png] as const));
    for (const svg of svgs.values()) chartText += svgText(svg);
    const covered = new Set(specText);
    if ([...chartText].some((ch) => !covered.has(ch) && ch.trim() !== '')) {
      await writeFile(fontFile, await subsetFor(chartText));
      for (const [stem, svg] of svgs) files.set(`${stem}.png`, toPng(svg, fontFile));
    } else for (const [stem, png] of done) files.set(`${stem}.png`, png);
  } finally {
    await Promise.allSettled(pngs.values()); // none still reading the font when it goes
    await rm(fontDir, { recursive: true, force: true });
  }
  const chartsMs = performance.now() - t0;

  // Markdown per locale.
  const raw = new Map<string, string>();
  for (const f of new Set([...exp.runs.map((r) => r.file), ...exp.accuracy.map((a) => a.file)])) raw.set(f, await readIfText(join(scanned.dir, f)));
  const local = [...scanMessages, ...messages].map((m) => relativeTo(exp.id, m));
  const entry: ExperimentEntry = { id: exp.id, slug, messages, chars: '', readme: {}, site: [], outputs: [] };
  const pages: ExperimentPages = { markdown: {}, svgs: Object.fromEntries(svgs) };
  let text = chartText;
  for (const locale of ctx.locales) {
    const notesFile = exp.notes[locale];
    const notes = notesFile ? await readIfText(join(scanned.dir, notesFile)) : null;
    const charts = chartRefs.get(locale) ?? [];
    const view = reportView({ exp, derived, slug, locale, locales: ctx.locales, messages: local, notes, charts, raw });
    const markdown = tidy(templatesFor(ctx.templatesDir, locale).report(view));
    files.set(`reports/${slug}.${locale}.md`, Buffer.from(markdown));
    pages.markdown[locale] = markdown;
    entry.readme[locale] = readmeReport(view, charts, locale, ctx.locales);
    const site = siteEntry(slug, locale, view, ctx.strings[locale] ?? {});
    entry.site.push(site);
    text += markdown + site.title + site.card;
  }
  entry.chars = uniqueChars(text);
  entry.outputs = [...files.keys()].sort();
  return { experiment: exp, entry, pages, files, charts: svgs.size, timings: { ingest: ingestMs, charts: chartsMs } };
}
