/**
 * The HTML site (`site/`): every report per locale as a page inside the layout, an index per locale
 * with one card per report, local CSS and the font subset the pages and inline SVG charts use.
 * Pure: returns file contents by path; links are relative, so it works from file:// and under a
 * GitHub Pages sub-path alike.
 */
import { indexName, linkFrom, pdfPath, reportPath, SITE_CSS, SITE_NOJEKYLL, sitePagePath, siteHref, targetOf } from '../../layout.js';
import type { SiteEntry } from '../../products.js';
import type { ReportView } from '../markdown/view.js';
import { mdTextToPlain } from '../markdown/escape.js';
import { formatFigure, formatRatio } from '../numbers.js';
import { word, type Strings } from '../strings.js';
import { escapeHtml, frame, mainOf, page } from './layout.js';
import { markdownProcessor } from './markdown.js';

export type { SiteEntry };

/** A link from one site page to another file of the site. */
function fromPage(path: string): string {
  return linkFrom(sitePagePath('x', 'x'), path);
}

export interface SiteShared {
  locales: string[];
  defaultLocale: string;
  strings: Record<string, Strings>;
  /** Whether site/pdf/<slug>.<locale>.pdf will exist (a browser was found). */
  withPdf: boolean;
}


function stripSvgScripts(svg: string): string {
  return svg.replace(/<script[\s\S]*?<\/script>/gi, '').replace(/\son\w+="[^"]*"/gi, '');
}

/** The label of a chart mark (`aria-label` of a `graphics-symbol`), as the SVG escaped it. */
const MARK = /<(path|rect|circle|line|text|image)\b([^>]*\srole="graphics-symbol"[^>]*?)(\/?)>/g;

function labelOf(attrs: string): string | null {
  return /\saria-label="([^"]*)"/.exec(attrs)?.[1] ?? null;
}

/**
 * A chart for the site: each mark gets its label as an SVG `<title>` (the value shows on hover,
 * no script), and the labels follow as a small folded table, for copying and for screen readers.
 * The PNG charts are rendered apart and stay clean.
 */
export function siteChart(svg: string, dataLabel: string): { svg: string; data: string } {
  const rows: string[] = [];
  const titled = stripSvgScripts(svg).replace(MARK, (whole, tag: string, attrs: string, selfClosing: string) => {
    const label = labelOf(attrs);
    if (label === null) return whole;
    rows.push(label);
    return selfClosing ? `<${tag}${attrs}><title>${label}</title></${tag}>` : `<${tag}${attrs}><title>${label}</title>`;
  });
  if (rows.length === 0) return { svg: titled, data: '' };
  // "FP8, output: 381.87": what the mark is, and its value.
  const cells = rows.map((r) => {
    const at = r.lastIndexOf(': ');
    return at < 0 ? `<td colspan="2">${r}</td>` : `<td>${r.slice(0, at)}</td><td class="num">${r.slice(at + 2)}</td>`;
  });
  const data = `<details class="chart-data"><summary>${escapeHtml(dataLabel)}</summary><div class="table-wrap"><table><tbody>${cells.map((c) => `<tr>${c}</tr>`).join('')}</tbody></table></div></details>`;
  return { svg: titled, data };
}

/** Text every page shares (sidebar labels, index words), for the font subset. */
export function sharedText(shared: SiteShared): string {
  return Object.values(shared.strings).map((s) => Object.values(s).join('')).join('');
}

/** The sidebar of one locale: every report, in order. */
export function navFor(entries: SiteEntry[], locale: string, current: string | null) {
  return entries.filter((e) => e.locale === locale).map((e) => ({ title: e.title, href: fromPage(sitePagePath(e.slug, locale)), current: e.slug === current }));
}

function languages(shared: SiteShared, target: (l: string) => string, current: string) {
  return shared.locales.map((l) => ({ label: word(shared.strings[l] ?? {}, 'locale.name'), href: target(l), current: l === current }));
}

/**
 * What a report page's `<main>` holds: the report's Markdown as HTML, charts inlined from `svgs`
 * (by image stem), and the link to its PDF. It depends on the report alone, not on the sidebar: a
 * page whose sidebar changed keeps it and is only framed again (layout.ts reframed).
 */
export function reportMain(shared: SiteShared, entry: SiteEntry, markdown: string, svgs: ReadonlyMap<string, string>): string {
  const { locale, slug } = entry;
  const { defaultLocale } = shared;
  const s = shared.strings[locale] ?? {};
  const from = reportPath(slug, locale);
  const processor = markdownProcessor({
    contents: word(s, 'site.contents'),
    page(href) {
      const to = targetOf(href, from, defaultLocale);
      const page = to ? siteHref(to.target, defaultLocale) : null;
      return page === null ? null : `${page}${to?.hash ?? ''}`;
    },
    chart(src) {
      const to = targetOf(src, from, defaultLocale)?.target;
      const svg = to?.kind === 'chart' ? svgs.get(to.stem) : undefined;
      if (svg === undefined) return null;
      const chart = siteChart(svg, word(s, 'site.chartData'));
      return { svg: chart.svg, after: chart.data };
    },
  });
  return mainOf({
    body: String(processor.processSync(markdown)),
    ...(shared.withPdf ? { pdfHref: fromPage(pdfPath(slug, locale)), pdfLabel: word(s, 'site.pdf') } : {}),
  });
}

/** A report page: its `<main>` (reportMain) in the layout, with the sidebar of `entries`. */
export function reportFrame(shared: SiteShared, entries: SiteEntry[], entry: SiteEntry, main: string): string {
  const { locale, slug } = entry;
  const s = shared.strings[locale] ?? {};
  return frame({
    lang: locale,
    title: entry.title,
    main,
    nav: navFor(entries, locale, slug),
    indexHref: indexName(locale, shared.defaultLocale),
    indexLabel: word(s, 'site.index'),
    languages: languages(shared, (l) => fromPage(sitePagePath(slug, l)), locale),
  });
}

/** One report page: its Markdown as HTML inside the layout, charts inlined from `svgs` (by image stem). */
export function reportPage(shared: SiteShared, entries: SiteEntry[], entry: SiteEntry, markdown: string, svgs: ReadonlyMap<string, string>): string {
  return reportFrame(shared, entries, entry, reportMain(shared, entry, markdown, svgs));
}

/** The index of one locale: a card per report. */
export function indexPage(shared: SiteShared, entries: SiteEntry[], locale: string): string {
  const s = shared.strings[locale] ?? {};
  const cards = entries
    .filter((e) => e.locale === locale)
    .map((e) => framedCard(e, s, shared.withPdf))
    .join('\n');
  return page({
    lang: locale,
    title: word(s, 'site.title'),
    body: `<h1>${escapeHtml(word(s, 'site.title'))}</h1>\n<p>${escapeHtml(word(s, 'site.lead'))}</p>\n<div class="cards">\n${cards}\n</div>`,
    nav: navFor(entries, locale, null),
    indexHref: indexName(locale, shared.defaultLocale),
    indexLabel: word(s, 'site.index'),
    languages: languages(shared, (l) => indexName(l, shared.defaultLocale), locale),
  });
}

/** The site's files that do not depend on any report. */
export function staticFiles(css: string): Map<string, string> {
  return new Map([
    [SITE_CSS, css],
    [SITE_NOJEKYLL, ''],
  ]);
}

/** The site entry of one report page, made when the report is rendered. */
export function siteEntry(slug: string, locale: string, view: ReportView, s: Strings): SiteEntry {
  return { slug, locale, title: mdTextToPlain(view.title), card: card(slug, locale, view, s) };
}

function card(slug: string, locale: string, v: ReportView, s: Strings): string {
  const e = (md: string) => escapeHtml(mdTextToPlain(md));
  // The runs' precisions; in a folder of logs alone, those the logs serve.
  const precisions = [...new Set((v.runs.length > 0 ? v.runs.map((r) => r.precision) : v.serverLogs.map((l) => l.quantization)).filter((x): x is string => x !== null))];
  // Runs under different loads (concurrency, request count) are never ranked together.
  const measured = v.runs.filter((r) => r.decodeTps !== null);
  const oneLoad = new Set(measured.map((r) => `${r.concurrency}|${r.requests}`)).size === 1;
  const best = oneLoad ? [...measured].sort((a, b) => (b.decodeTps ?? 0) - (a.decodeTps ?? 0))[0] : undefined;
  const rows: [string, string][] = [
    [word(s, 'site.date'), escapeHtml(v.date)],
    [word(s, 'site.model'), v.models.length ? v.models.map(e).join(', ') : '–'],
    [word(s, 'site.hardware'), v.hardware !== null ? e(v.hardware) : '–'],
    [word(s, 'site.precision'), precisions.length ? precisions.map(e).join(', ') : '–'],
  ];
  const headlines: string[] = [];
  if (best?.decodeTps != null) headlines.push(`${escapeHtml(word(s, 'site.bestDecode'))}: ${e(best.label)} ${formatFigure(best.decodeTps, locale, 'decodeTps', v.digits)} tok/s`);
  for (const c of v.comparisons) {
    for (const r of c.rows.filter((x) => !x.isBaseline && x.decode !== null)) headlines.push(`${e(r.label)} / ${e(c.baseline)}: ${formatRatio(r.decode, locale)}`);
  }
  for (const sw of v.sweeps) if (sw.peak.tps !== null) headlines.push(`${escapeHtml(word(s, 'site.sweepPeak'))}: c=${sw.peak.concurrency}, ${formatFigure(sw.peak.tps, locale, 'decodeTps', v.digits)} tok/s`);
  for (const a of v.accuracy.rows) if (a.total !== null) headlines.push(`${e(a.variant)} ${a.correct}/${a.total}`);
  return `<h2><a href="${escapeHtml(fromPage(sitePagePath(slug, locale)))}">${e(v.title)}</a></h2>
<dl>${rows.map(([k, val]) => `<dt>${escapeHtml(k)}</dt><dd>${val}</dd>`).join('')}</dl>
<ul>${headlines.slice(0, 6).map((h) => `<li>${h}</li>`).join('')}</ul>`;
}

/** An index card of a page that is no experiment's report (the overview): its title and a list of plain lines. */
export function listCard(slug: string, locale: string, title: string, lines: readonly string[]): string {
  return `<h2><a href="${escapeHtml(fromPage(sitePagePath(slug, locale)))}">${escapeHtml(title)}</a></h2>\n<ul>${lines.map((l) => `<li>${escapeHtml(l)}</li>`).join('')}</ul>`;
}

function framedCard(e: SiteEntry, s: Strings, withPdf: boolean): string {
  const pdf = withPdf ? `<p class="pdf-link"><a href="${escapeHtml(fromPage(pdfPath(e.slug, e.locale)))}">${escapeHtml(word(s, 'site.pdf'))}</a></p>` : '';
  return `<article class="card">\n${e.card}\n${pdf}\n</article>`;
}
