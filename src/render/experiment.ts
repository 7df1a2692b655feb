/**
 * One loaded experiment → its outputs: charts (SVG, PNG), a Markdown report per locale, and the small
 * entries the README and the site index need. Pure: it reads nothing from disk; the PNG font comes
 * from the `fonts` it is given.
 */
import { derive, type Derived } from '../assemble/derive.js';
import { chartPng, chartStem, reportPath } from '../layout.js';
import type { Experiment, KeyedRun, LoadedExperiment, Message, Slo } from '../model.js';
import { sloFor } from '../assemble/slo.js';
import type { ExperimentEntry, ExperimentPages, RenderedExperiment } from '../products.js';
import { svgText, toPng, toPngAsync, toSvg } from './charts/render.js';
import { digitsFor, type Digits } from './numbers.js';
import { chartsFor } from './charts/specs.js';
import { siteEntry } from './html/site.js';
import { templatesFor, tidy, type TemplateSources } from './markdown/templates.js';
import { readmeReport, reportView, type ChartRef } from './markdown/view.js';
import { localeNames, type Strings } from './strings.js';

/** Characters number formatting may put in a chart that no spec holds (minus sign, micro, ellipsis …). */
const FORMAT_CHARS = '\u2212\u00b5\u2026\u00d7\u2013\u2014\u00a0%';

/** What rendering an experiment needs besides the experiment: plain data, sent to render workers as is. */
export interface RenderContext {
  locales: string[];
  defaultLocale: string;
  strings: Record<string, Strings>;
  templates: TemplateSources;
  /** The SLO of experiments whose experiment.yaml sets none (benchbook.config.json), or null. */
  slo: Slo | null;
}

/** TrueType files for the PNG charts: one holding at least the characters of `text`, on disk for the rasteriser. */
export interface ChartFonts {
  fileFor(text: string): Promise<string>;
}

function uniqueChars(text: string): string {
  return [...new Set(text)].sort().join('');
}

function relativeTo(id: string, m: Message): Message {
  return { ...m, file: m.file === id ? '.' : m.file.startsWith(`${id}/`) ? m.file.slice(id.length + 1) : m.file };
}

interface Charts {
  files: Record<string, Uint8Array>;
  svgs: Record<string, string>;
  refs: Map<string, ChartRef[]>;
  /** Every character the SVGs show. */
  text: string;
}

/**
 * Every chart of every locale: each SVG made in turn, each rasterised to PNG on the thread pool
 * meanwhile. The PNGs' font is cut, before any SVG exists, to the characters of the specs (titles,
 * labels, data) plus what number formatting may add; should an SVG show any other, its PNGs are
 * made again with a font of the exact set.
 */
async function renderCharts(ctx: RenderContext, shown: (locale: string) => Shown, slug: string, fonts: ChartFonts): Promise<Charts> {
  const out: Charts = { files: {}, svgs: {}, refs: new Map(), text: '' };
  const specs = ctx.locales.map((locale) => {
    const { derived, digits } = shown(locale);
    return { locale, charts: chartsFor(derived, ctx.strings[locale] ?? {}, locale, digits) };
  });
  if (!specs.some((x) => x.charts.length > 0)) {
    for (const locale of ctx.locales) out.refs.set(locale, []);
    return out;
  }
  const specText = JSON.stringify(specs.map((x) => x.charts.map((c) => c.spec))) + FORMAT_CHARS;
  const fontFile = await fonts.fileFor(specText);
  const pngs = new Map<string, Promise<Buffer>>();
  let inFlight: Promise<Buffer> | null = null;
  try {
    for (const { locale, charts } of specs) {
      const refs: ChartRef[] = [];
      for (const chart of charts) {
        const stem = chartStem(slug, chart.file, locale);
        const svg = await toSvg(chart.spec, `${slug}-${chart.file}-${locale}`.replace(/[^A-Za-z0-9_-]/g, '_'));
        out.svgs[stem] = svg;
        // One PNG in flight at a time: it overlaps the next SVG without piling up buffers.
        if (inFlight) await inFlight;
        inFlight = toPngAsync(svg, fontFile);
        pngs.set(stem, inFlight);
        refs.push({ kind: chart.kind, section: chart.section, title: chart.title, path: chartPng(stem) });
      }
      out.refs.set(locale, refs);
    }
    const done = await Promise.all([...pngs].map(async ([stem, png]) => [stem, await png] as const));
    for (const svg of Object.values(out.svgs)) out.text += svgText(svg);
    const covered = new Set(specText);
    if ([...out.text].some((ch) => !covered.has(ch) && ch.trim() !== '')) {
      const exact = await fonts.fileFor(out.text);
      for (const [stem, svg] of Object.entries(out.svgs)) out.files[chartPng(stem)] = toPng(svg, exact);
    } else for (const [stem, png] of done) out.files[chartPng(stem)] = png;
  } finally {
    await Promise.allSettled(pngs.values()); // none still reading a font file when the caller removes it
  }
  return out;
}

/** The experiment as a locale shows it, the figures derived from it, and each quantity's decimals (one set for tables and charts). */
interface Shown {
  exp: Experiment;
  derived: Derived;
  digits: Digits;
}

/**
 * The experiment as a locale shows it: runs under their label in that locale (experiment.yaml's
 * `label: {zh: …, en: …}`), and the figures derived from them. Without such labels, the one derivation.
 */
function localizer(exp: Experiment, derived: Derived): (locale: string) => Shown {
  const digits = digitsFor(exp.runs);
  if (!exp.runs.some((r) => r.labels)) return () => ({ exp, derived, digits });
  const made = new Map<string, Shown>();
  return (locale) => {
    let m = made.get(locale);
    if (!m) {
      const runs = exp.runs.map((r) => ({ ...r, label: r.labels?.[locale] ?? r.label }));
      // An accuracy variant named after a run follows the run's label.
      const renamed = new Map(exp.runs.map((r, i) => [r.label, runs[i]?.label ?? r.label]));
      const accuracy = exp.accuracy.map((a) => ({ ...a, tasks: a.tasks.map((t) => ({ ...t, variant: t.variant === null ? null : (renamed.get(t.variant) ?? t.variant) })) }));
      const local: Experiment = { ...exp, runs, accuracy };
      m = { exp: local, derived: derive(local), digits };
      made.set(locale, m);
    }
    return m;
  };
}

/**
 * Renders one experiment. `scanMessages` are the scan's messages about its folder (shown in its
 * report; not repeated in the entry's messages, which hold what reading its files produced).
 */
export async function renderExperiment(
  ctx: RenderContext,
  loaded: LoadedExperiment,
  derived: Derived,
  slug: string,
  scanMessages: Message[],
  fonts: ChartFonts,
  /** Its runs with their keys, on the experiment as read (a run's key and label are the same in every locale). */
  keyed: KeyedRun[] = [],
): Promise<RenderedExperiment> {
  const exp = loaded.experiment;
  const inLocale = localizer(exp, derived);
  const t0 = performance.now();
  const charts = await renderCharts(ctx, inLocale, slug, fonts);
  const chartsMs = performance.now() - t0;

  const files: Record<string, Uint8Array> = { ...charts.files };
  const local = [...scanMessages, ...loaded.messages].map((m) => relativeTo(exp.id, m));
  const slo = sloFor(exp, ctx.slo);
  const entry: ExperimentEntry = { id: exp.id, slug, messages: loaded.messages, chars: '', readme: {}, site: [], outputs: [], keyed };
  const pages: ExperimentPages = { markdown: {}, svgs: charts.svgs };
  let text = charts.text;
  for (const locale of ctx.locales) {
    const refs = charts.refs.get(locale) ?? [];
    const notes = loaded.notes[locale] ?? null;
    const view = reportView({
      ...inLocale(locale),
      slug,
      locale,
      locales: ctx.locales,
      defaultLocale: ctx.defaultLocale,
      localeNames: localeNames(ctx),
      words: ctx.templates.locales[locale]?.words ?? {},
      messages: local,
      notes,
      charts: refs,
      raw: loaded.raw,
      formats: loaded.formats,
      slo,
      keyed,
    });
    const markdown = tidy(templatesFor(ctx.templates, locale).report(view), locale);
    files[reportPath(slug, locale)] = Buffer.from(markdown);
    pages.markdown[locale] = markdown;
    entry.readme[locale] = readmeReport(view, refs, locale, ctx.locales);
    const site = siteEntry(slug, locale, view, ctx.strings[locale] ?? {});
    entry.site.push(site);
    text += markdown + site.title + site.card;
  }
  entry.chars = uniqueChars(text);
  entry.outputs = Object.keys(files).sort();
  return { entry, pages, files, stats: { charts: Object.keys(charts.svgs).length, bytesRead: loaded.bytesRead, ingestMs: 0, chartsMs } };
}
