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
import { drawCharts, type ChartFonts, type ChartToDraw } from './charts/draw.js';
import { digitsFor, type Digits } from './numbers.js';
import { chartsFor } from './charts/specs.js';
import { siteEntry } from './html/site.js';
import { templatesFor, tidy, type TemplateSources } from './markdown/templates.js';
import { readmeReport, reportView, type ChartRef } from './markdown/view.js';
import { localeNames, type Strings } from './strings.js';

/** What rendering an experiment needs besides the experiment: plain data, sent to render workers as is. */
export interface RenderContext {
  locales: string[];
  defaultLocale: string;
  strings: Record<string, Strings>;
  templates: TemplateSources;
  /** The SLO of experiments whose experiment.yaml sets none (benchbook.config.json), or null. */
  slo: Slo | null;
}

export type { ChartFonts };

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

/** Every chart of every locale (charts/draw.ts), and each locale's references to them for its report. */
async function renderCharts(ctx: RenderContext, shown: (locale: string) => Shown, slug: string, fonts: ChartFonts): Promise<Charts> {
  const refs = new Map<string, ChartRef[]>();
  const toDraw: ChartToDraw[] = [];
  for (const locale of ctx.locales) {
    const { derived, digits } = shown(locale);
    const list: ChartRef[] = [];
    for (const chart of chartsFor(derived, ctx.strings[locale] ?? {}, locale, digits)) {
      const stem = chartStem(slug, chart.file, locale);
      toDraw.push({ stem, prefix: `${slug}-${chart.file}-${locale}`.replace(/[^A-Za-z0-9_-]/g, '_'), spec: chart.spec });
      list.push({ kind: chart.kind, section: chart.section, title: chart.title, path: chartPng(stem) });
    }
    refs.set(locale, list);
  }
  return { ...(await drawCharts(toDraw, fonts)), refs };
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
