/**
 * The overview across experiments → a Markdown page per locale (reports/overview.<locale>.md), a
 * trend chart per configuration's history (images/overview-<id>.<locale>.png, its SVG for the
 * site), the README's overview section and, per experiment, what changed since the previous point
 * of each series it continues. Pure: reads nothing from disk; the PNG font comes from `fonts`.
 */
import { slug } from 'github-slugger';
import type { TopLevelSpec } from 'vega-lite';
import type { Best, Family, Overview } from '../assemble/overview.js';
import type { Difference, RunKey, Series, SeriesMetric } from '../assemble/series.js';
import { chartPng, chartStem, linkFrom, OVERVIEW_SLUG, readmePath, reportPath } from '../layout.js';
import type { SiteEntry } from '../products.js';
import { drawCharts, type ChartFonts, type KeptCharts } from './charts/draw.js';
import { bandAxis, chartConfig, PALETTE, WIDTH } from './charts/specs.js';
import type { RenderContext } from './experiment.js';
import { listCard } from './html/site.js';
import { mdCode, mdHref, mdText, mdTextToPlain } from './markdown/escape.js';
import { templatesFor, tidy } from './markdown/templates.js';
import { decimalsFor, formatFixed, formatPercent, QUANTITIES, type Digits } from './numbers.js';
import { localeNames, word, type Strings } from './strings.js';

/** What the overview links to of each experiment: its report's slug, and its date (for ordering). */
export interface ReportRef {
  slug: string;
  date: string;
}

/** One series continued by an experiment: how its figures moved from the previous point. */
export interface HistoryLine {
  familyHref: string;
  name: string;
  from: string;
  fromDate: string;
  changes: { load: string; change: string; regression: boolean }[];
  more: number;
  differences: string[];
}

export interface RenderedOverview {
  markdown: Record<string, string>;
  svgs: Record<string, string>;
  files: Record<string, Uint8Array>;
  site: SiteEntry[];
  readme: Record<string, Record<string, unknown>>;
  /** Per experiment id, per locale: the series it continues. */
  history: Record<string, Record<string, HistoryLine[]>>;
  chars: string;
  /** Per chart stem, its key (chartKey): what the next build's overview may take it by. */
  chartKeys: Record<string, string>;
  /** Charts drawn (the others were kept from the last build). */
  drawn: number;
}

const REGRESSION_COLOUR = '#d62728';
const METRIC_QUANTITY: Record<SeriesMetric, 'decodeTps' | 'ttftMs' | 'tpotMs'> = { outputTokenThroughput: 'decodeTps', ttftMs: 'ttftMs', tpotMs: 'tpotMs' };
/** The README lists this many regressions, the newest first, then says how many more the overview has. */
const README_REGRESSIONS = 5;
/** The README lists this many of an experiment's changed loads per configuration, then says how many more. */
const LOADS_LISTED = 6;

/** A series' load as its runs say it: `c=16`, `rate=4`, or '' for an unbounded run. */
export function loadOf(k: RunKey): string {
  return k.concurrency !== null ? `c=${k.concurrency}` : k.requestRate !== null ? `rate=${k.requestRate}` : '';
}

/** A configuration's name from its key: model · precision · GPUs · parallelism · lengths · tool (and its label, where it splits the key). */
export function familyName(f: Pick<Family, 'key' | 'label' | 'approxLengths'>, s: Strings): string {
  const k = f.key;
  const par = [k.tp !== null ? `TP=${k.tp}` : '', k.pp !== null && k.pp > 1 ? `PP=${k.pp}` : '', k.dp !== null && k.dp > 1 ? `DP=${k.dp}` : ''].filter(Boolean).join(' ');
  // A length read from a mean is rounded (2 significant digits): said with ≈.
  const approx = f.approxLengths ? '≈' : '';
  const lengths = k.inputLength !== null || k.outputLength !== null ? word(s, 'overview.lengths', { input: `${approx}${k.inputLength ?? '?'}`, output: `${approx}${k.outputLength ?? '?'}` }) : '';
  return [k.model, k.precision, k.gpu !== null ? `${k.gpuCount ?? '?'}× ${k.gpu}` : '', par, lengths, k.tool, f.label].filter((x): x is string => !!x).join(' · ');
}

function signed(v: number | null, locale: string): string {
  if (v === null) return '–';
  const text = formatPercent(Math.abs(v), locale, 1);
  return v > 0 ? `+${text}` : v < 0 ? `\u2212${text}` : text;
}

function differenceText(d: Difference, s: Strings): string {
  const what = word(s, `overview.what.${d.what}`);
  if (d.what === 'launchFlags') return word(s, 'overview.flagsChanged', { what });
  return `${what} ${d.from ?? '–'} → ${d.to ?? '–'}`;
}

/** Decimals of each quantity over every figure the overview shows. */
function digitsOf(o: Overview): Digits {
  const max = (vs: number[]) => decimalsFor(vs.length ? Math.max(...vs.map(Math.abs)) : 0);
  const figures = (m: SeriesMetric) => o.families.flatMap((f) => f.series.flatMap((s) => s.steps.flatMap((st) => (st.figures[m] ? [st.figures[m].median, st.figures[m].min, st.figures[m].max] : []))));
  const d = Object.fromEntries(QUANTITIES.map((q) => [q, 2])) as Digits;
  d.decodeTps = max([...figures('outputTokenThroughput'), ...o.best.map((b) => b.run.outputTokenThroughput ?? 0), ...o.best.map((b) => b.run.tokPerSecPerGpu ?? 0)]);
  d.ttftMs = max(figures('ttftMs'));
  d.tpotMs = max(figures('tpotMs'));
  return d;
}

/** A family's heading anchor on the overview page: GitHub's slug of its heading (its name), as the site's headings get too. */
function familyAnchor(f: Family, s: Strings): string {
  return slug(familyName(f, s));
}

/** Trend of one family: output tok/s, TTFT p99 and TPOT p99 over the experiments' dates, a line per load, regressions ringed. */
function trendSpec(f: Family, s: Strings, locale: string, digits: Digits): TopLevelSpec | null {
  const several = f.series.length > 1;
  const rows = f.series.flatMap((se) =>
    se.steps.flatMap((st) =>
      (['outputTokenThroughput', 'ttftMs', 'tpotMs'] as const).flatMap((m) => {
        const fig = st.figures[m];
        if (!fig) return [];
        const regressed = se.regressions.some((r) => r.metric === m && r.to === st.experiment);
        const text = formatFixed(fig.median, locale, digits[METRIC_QUANTITY[m]]);
        const load = loadOf(se.key) || word(s, 'overview.unbounded');
        return [{ metric: m, date: st.date, load, value: fig.median, min: fig.min, max: fig.max, regressed, aria: `${several ? `${load}, ` : ''}${st.date}, ${word(s, `overview.metric.${m}`)}: ${text}${regressed ? ` (${word(s, 'overview.regression')})` : ''}` }];
      }),
    ),
  );
  const metrics = (['outputTokenThroughput', 'ttftMs', 'tpotMs'] as const).filter((m) => rows.some((r) => r.metric === m));
  if (metrics.length === 0) return null;
  const dates = [...new Set(rows.map((r) => r.date))].sort();
  const loads = f.series.map((se) => loadOf(se.key) || word(s, 'overview.unbounded'));
  const title = word(s, 'chart.history');
  const panel = (m: SeriesMetric, last: boolean) => ({
    width: WIDTH,
    height: 150,
    transform: [{ filter: { field: 'metric', equal: m } }],
    encoding: {
      x: { field: 'date', type: 'ordinal', sort: dates, title: last ? word(s, 'axis.date') : null, axis: { ...bandAxis(dates, WIDTH), labels: last } },
      y: { field: 'value', type: 'quantitative', title: word(s, `overview.axis.${m}`), scale: { zero: false, padding: 10 } },
    },
    layer: [
      { mark: { type: 'rule', color: '#999' }, encoding: { y: { field: 'min', type: 'quantitative' }, y2: { field: 'max' }, ...(several ? { color: { field: 'load', type: 'nominal', sort: loads, title: word(s, 'legend.load') } } : {}) } },
      { mark: { type: 'line', point: true }, encoding: { color: several ? { field: 'load', type: 'nominal', sort: loads, title: word(s, 'legend.load') } : { value: PALETTE[0] }, detail: { field: 'load', type: 'nominal' }, description: { field: 'aria', type: 'nominal' } } },
      { transform: [{ filter: 'datum.regressed' }], mark: { type: 'point', shape: 'circle', size: 220, strokeWidth: 2, color: REGRESSION_COLOUR, filled: false } },
    ],
  });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    data: { values: rows },
    vconcat: metrics.map((m, i) => panel(m, i === metrics.length - 1)),
    config: chartConfig(),
  } as TopLevelSpec;
}

function seriesRows(se: Series, reports: ReadonlyMap<string, ReportRef>, locale: string, s: Strings, from: string) {
  return se.steps.map((st, i) => {
    const ref = reports.get(st.experiment);
    const regressed = (m: SeriesMetric) => se.regressions.some((r) => r.metric === m && r.to === st.experiment);
    const t = st.figures.outputTokenThroughput;
    return {
      load: mdText(loadOf(se.key) || word(s, 'overview.unbounded')),
      date: st.date,
      experiment: ref ? `[${mdCode(st.experiment)}](${mdHref(linkFrom(from, reportPath(ref.slug, locale)))})` : mdCode(st.experiment),
      runs: st.runs,
      output: t?.median ?? null,
      range: t && st.runs > 1 ? { min: t.min, max: t.max } : null,
      ttft: st.figures.ttftMs?.median ?? null,
      tpot: st.figures.tpotMs?.median ?? null,
      vsPrevious: i === 0 ? null : signed(st.vsPrevious.outputTokenThroughput, locale),
      vsBest: signed(st.vsBest.outputTokenThroughput, locale),
      ttftChange: i === 0 ? null : signed(st.vsPrevious.ttftMs, locale),
      tpotChange: i === 0 ? null : signed(st.vsPrevious.tpotMs, locale),
      regressed: { output: regressed('outputTokenThroughput'), ttft: regressed('ttftMs'), tpot: regressed('tpotMs') },
      differences: st.differences.map((d) => mdText(differenceText(d, s))),
    };
  });
}

/**
 * A family's regressions, one entry per pair of experiments: per metric, the loads that regressed and
 * the change (one figure, or the range of them), with what changed between the two.
 */
function regressionGroups(f: Family, locale: string, s: Strings) {
  const groups = new Map<string, { from: string; to: string; limit: number; differences: Difference[]; parts: Map<SeriesMetric, { loads: string[]; changes: number[] }> }>();
  for (const se of f.series) {
    for (const r of se.regressions) {
      const at = `${r.from}\u0000${r.to}`;
      const g = groups.get(at) ?? { from: r.from, to: r.to, limit: se.limit, differences: r.differences, parts: new Map() };
      g.limit = Math.max(g.limit, se.limit);
      const part = g.parts.get(r.metric) ?? { loads: [], changes: [] };
      part.loads.push(loadOf(se.key) || word(s, 'overview.unbounded'));
      part.changes.push(r.change);
      g.parts.set(r.metric, part);
      groups.set(at, g);
    }
  }
  return [...groups.values()].map((g) => ({
    fromExp: mdCode(g.from),
    toExp: mdCode(g.to),
    /** The later experiment's id, unescaped: for ordering. */
    to: g.to,
    limit: g.limit,
    parts: (['outputTokenThroughput', 'ttftMs', 'tpotMs'] as const).flatMap((m) => {
      const part = g.parts.get(m);
      if (!part) return [];
      const lo = Math.min(...part.changes);
      const hi = Math.max(...part.changes);
      const change = signed(lo, locale) === signed(hi, locale) ? signed(lo, locale) : `${signed(lo, locale)} … ${signed(hi, locale)}`;
      return [{ metric: m, change, loads: mdText(part.loads.join(word(s, 'overview.loadSep'))) }];
    }),
    differences: g.differences.map((d) => mdText(differenceText(d, s))),
  }));
}

function familyView(f: Family, reports: ReadonlyMap<string, ReportRef>, locale: string, s: Strings, chart: string | null, regressions: ReturnType<typeof regressionGroups>) {
  const from = reportPath(OVERVIEW_SLUG, locale);
  return {
    name: mdText(familyName(f, s)),
    chart: chart === null ? null : { alt: mdText(word(s, 'chart.history')), href: mdHref(linkFrom(from, chart)) },
    series: f.series.map((se) => ({ rows: seriesRows(se, reports, locale, s, from) })),
    regressions,
  };
}

function bestView(b: Best, reports: ReadonlyMap<string, ReportRef>, locale: string, from: string, families: ReadonlyMap<string, Family>, s: Strings) {
  const ref = reports.get(b.run.experiment);
  const k = b.run.key;
  const config = [k.precision, k.tp !== null ? `TP=${k.tp}` : '', k.gpuCount !== null ? `${k.gpuCount} GPU` : '', k.tool].filter(Boolean).join(' · ');
  const fam = b.family ? families.get(b.family) : undefined;
  return {
    model: mdText(b.model),
    gpu: mdText(b.gpu),
    run: mdText(b.run.label),
    config: mdText(config),
    load: mdText(loadOf(k) || '–'),
    perGpu: b.run.tokPerSecPerGpu,
    output: b.run.outputTokenThroughput,
    date: b.run.date,
    report: ref ? mdHref(linkFrom(from, reportPath(ref.slug, locale))) : null,
    experiment: mdCode(b.run.experiment),
    history: fam ? mdHref(`${linkFrom(from, reportPath(OVERVIEW_SLUG, locale))}#${familyAnchor(fam, s)}`) : null,
  };
}

/** What changed for each experiment since the previous point of each series it continues, per locale. */
function historyOf(o: Overview, ctx: RenderContext): RenderedOverview['history'] {
  const out: RenderedOverview['history'] = {};
  for (const f of o.families) {
    // Experiments this family has a step in after its first: the changes from the previous step, per load.
    const byExp = new Map<string, { from: string; fromDate: string; changes: { load: string; change: number | null; regression: boolean }[]; differences: Difference[] }>();
    for (const se of f.series) {
      se.steps.forEach((st, i) => {
        if (i === 0) return;
        const prev = se.steps[i - 1];
        if (!prev) return;
        const at = byExp.get(st.experiment) ?? { from: prev.experiment, fromDate: prev.date, changes: [], differences: st.differences };
        at.changes.push({ load: loadOf(se.key), change: st.vsPrevious.outputTokenThroughput, regression: se.regressions.some((r) => r.to === st.experiment) });
        byExp.set(st.experiment, at);
      });
    }
    for (const [exp, at] of byExp) {
      for (const locale of ctx.locales) {
        const s = ctx.strings[locale] ?? {};
        const lines = ((out[exp] ??= {})[locale] ??= []);
        lines.push({
          familyHref: mdHref(`${reportPath(OVERVIEW_SLUG, locale)}#${familyAnchor(f, s)}`),
          name: mdText(familyName(f, s)),
          from: mdCode(at.from),
          fromDate: at.fromDate,
          changes: at.changes.slice(0, LOADS_LISTED).map((c) => ({ load: mdText(c.load), change: signed(c.change, locale), regression: c.regression })),
          more: Math.max(0, at.changes.length - LOADS_LISTED),
          differences: at.differences.map((d) => mdText(differenceText(d, s))),
        });
      }
    }
  }
  return out;
}

/** Renders the overview: its page per locale, a trend chart per family, its README section and each experiment's history lines. */
export async function renderOverview(
  ctx: RenderContext,
  o: Overview,
  threshold: number,
  reports: ReadonlyMap<string, ReportRef>,
  fonts: ChartFonts,
  kept: KeptCharts,
): Promise<RenderedOverview> {
  const out: RenderedOverview = { markdown: {}, svgs: {}, files: {}, site: [], readme: {}, history: historyOf(o, ctx), chars: '', chartKeys: {}, drawn: 0 };
  const digits = digitsOf(o);
  const families = new Map(o.families.map((f) => [f.id, f]));
  const names = localeNames(ctx);
  const charts = new Map<string, string>();
  const toDraw = ctx.locales.flatMap((locale) =>
    o.families.flatMap((f) => {
      const spec = trendSpec(f, ctx.strings[locale] ?? {}, locale, digits);
      if (spec === null) return [];
      const stem = chartStem(OVERVIEW_SLUG, f.id, locale);
      charts.set(`${locale}\u0000${f.id}`, chartPng(stem));
      return [{ stem, prefix: `overview-${f.id}-${locale}`.replace(/[^A-Za-z0-9_-]/g, '_'), spec }];
    }),
  );
  const drawn = await drawCharts(toDraw, fonts, kept);
  Object.assign(out.svgs, drawn.svgs);
  Object.assign(out.files, drawn.files);
  out.chartKeys = drawn.keys;
  out.drawn = drawn.drawn;
  let text = drawn.text;

  const dateOf = (id: string) => reports.get(id)?.date ?? '';
  for (const locale of ctx.locales) {
    const s = ctx.strings[locale] ?? {};
    const here = reportPath(OVERVIEW_SLUG, locale);
    const regressions = new Map(o.families.map((f) => [f, regressionGroups(f, locale, s)]));
    const view = {
      locale,
      digits,
      title: word(s, 'overview.title'),
      languages: ctx.locales.map((l) => ({ name: names[l] ?? l, href: l === locale ? null : mdHref(linkFrom(here, reportPath(OVERVIEW_SLUG, l))) })),
      readmeHref: mdHref(linkFrom(here, readmePath(locale, ctx.defaultLocale))),
      threshold,
      best: o.best.map((b) => bestView(b, reports, locale, here, families, s)),
      // The run's label, where one says more than its load.
      showRun: o.best.some((b) => b.run.label !== loadOf(b.run.key)),
      anyPerGpu: o.best.some((b) => b.by === 'perGpu'),
      anyOutputOnly: o.best.some((b) => b.by === 'output'),
      anySlo: o.best.some((b) => b.sloOnly),
      families: o.families.map((f) => familyView(f, reports, locale, s, charts.get(`${locale}\u0000${f.id}`) ?? null, regressions.get(f) ?? [])),
    };
    const markdown = tidy(templatesFor(ctx.templates, locale).overview(view), locale);
    out.markdown[locale] = markdown;
    out.files[here] = Buffer.from(markdown);
    const card = listCard(OVERVIEW_SLUG, locale, view.title, [
      word(s, 'overview.card.best', { n: o.best.length }),
      word(s, 'overview.card.families', { n: o.families.length }),
      word(s, 'overview.card.regressions', { n: o.regressions }),
    ]);
    out.site.push({ slug: OVERVIEW_SLUG, locale, title: view.title, card });
    const readmeRegressions = o.families
      .flatMap((f) => (regressions.get(f) ?? []).map((g) => ({ ...g, name: mdText(familyName(f, s)), href: mdHref(`${here}#${familyAnchor(f, s)}`) })))
      .sort((a, b) => (dateOf(a.to) < dateOf(b.to) ? 1 : dateOf(a.to) > dateOf(b.to) ? -1 : a.to < b.to ? 1 : a.to > b.to ? -1 : 0));
    out.readme[locale] = {
      href: mdHref(here),
      best: o.best.map((b) => bestView(b, reports, locale, readmePath(locale, ctx.defaultLocale), families, s)),
      families: o.families.length,
      // The newest first, README_REGRESSIONS of them; the overview lists every one.
      regressions: readmeRegressions.slice(0, README_REGRESSIONS),
      moreRegressions: Math.max(0, readmeRegressions.length - README_REGRESSIONS),
      digits,
    };
    text += markdown + mdTextToPlain(view.title) + card;
  }
  out.chars = [...new Set(text)].sort().join('');
  return out;
}
