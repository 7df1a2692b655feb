/**
 * The output layout: where every file a build writes lives (relative to the repository root), how
 * one output links to another, and the reverse — which output a link written in a report points to.
 * Every other module asks here; no other module spells an output path.
 *
 *   README.md, README.<locale>.md          navigation (the default locale has no suffix)
 *   reports/<slug>.<locale>.md             a report
 *   reports/overview.<locale>.md           the overview across experiments (where there is one)
 *   images/<slug>-<chart>.<locale>.png     a chart (its SVG is inlined in the site page)
 *   site/index.html, site/index.<l>.html   the site's index per locale
 *   site/<slug>.<locale>.html              a report page
 *   site/pdf/<slug>.<locale>.pdf           its PDF
 *   site/assets/style.css, font.ttf        shared by every page
 *
 * Pure and light: a build with nothing to do loads this and the cache, not the renderers.
 */
import { posix } from 'node:path';

export interface Layout {
  locales: readonly string[];
  defaultLocale: string;
}

/** A locale in a file name: `en`, `zh`, `zh-Hans`. */
const LOCALE = '[a-z]{2}(?:-[A-Za-z]+)?';

export const REPORTS_DIR = 'reports';
/**
 * The overview across experiments is a report of its own: reports/overview.<locale>.md, its charts
 * images/overview-<id>.<locale>.png, its page site/overview.<locale>.html. No experiment folder can
 * take the name: theirs end in a date.
 */
export const OVERVIEW_SLUG = 'overview';
export const IMAGES_DIR = 'images';
export const SITE_DIR = 'site';
export const SITE_CSS = 'site/assets/style.css';
export const SITE_FONT = 'site/assets/font.ttf';
export const SITE_NOJEKYLL = 'site/.nojekyll';

/** The folders a build owns and which files in each are its own (others are never touched). */
export const OWNED: readonly { dir: string; pattern: RegExp }[] = [
  { dir: REPORTS_DIR, pattern: /\.md$/ },
  { dir: IMAGES_DIR, pattern: /\.(png|svg)$/ },
  { dir: SITE_DIR, pattern: /\.html$/ },
  { dir: 'site/assets', pattern: /\.(css|ttf)$/ },
  { dir: 'site/pdf', pattern: /\.pdf$/ },
];

export function readmePath(locale: string, defaultLocale: string): string {
  return locale === defaultLocale ? 'README.md' : `README.${locale}.md`;
}

export function reportPath(slug: string, locale: string): string {
  return `${REPORTS_DIR}/${slug}.${locale}.md`;
}

/** A chart's path without its extension: `images/<slug>-<chart>.<locale>`; the PNG adds `.png`. */
export function chartStem(slug: string, chart: string, locale: string): string {
  return `${IMAGES_DIR}/${slug}-${chart}.${locale}`;
}

export function chartPng(stem: string): string {
  return `${stem}.png`;
}

export function indexName(locale: string, defaultLocale: string): string {
  return locale === defaultLocale ? 'index.html' : `index.${locale}.html`;
}

export function indexPath(locale: string, defaultLocale: string): string {
  return `${SITE_DIR}/${indexName(locale, defaultLocale)}`;
}

export function sitePagePath(slug: string, locale: string): string {
  return `${SITE_DIR}/${slug}.${locale}.html`;
}

export function pdfPath(slug: string, locale: string): string {
  return `${SITE_DIR}/pdf/${slug}.${locale}.pdf`;
}

/** A link from the file at `from` to the file at `to`, both relative to the root. */
export function linkFrom(from: string, to: string): string {
  return posix.relative(posix.dirname(from), to) || posix.basename(to);
}

/** An output a link can point to. */
export type Target =
  | { kind: 'report'; slug: string; locale: string }
  | { kind: 'readme'; locale: string }
  | { kind: 'chart'; stem: string };

const REPORT = new RegExp(`^${REPORTS_DIR}/([^/]+)\\.(${LOCALE})\\.md$`);
const README = new RegExp(`^README(?:\\.(${LOCALE}))?\\.md$`);
const CHART = new RegExp(`^(${IMAGES_DIR}/.+)\\.png$`);

/**
 * Which output `href`, written in the file at `from`, points to (null for anything else: the web,
 * an artifact, a fragment of the same page). The fragment, if any, is returned beside it.
 */
export function targetOf(href: string, from: string, defaultLocale: string): { target: Target; hash: string } | null {
  if (/^[a-z][a-z0-9+.-]*:|^\/|^#/i.test(href)) return null;
  const [path = '', ...rest] = href.split('#');
  const hash = rest.length > 0 ? `#${rest.join('#')}` : '';
  let rel: string;
  try {
    rel = posix.normalize(posix.join(posix.dirname(from), decodeURI(path)));
  } catch {
    return null;
  }
  const report = REPORT.exec(rel);
  if (report?.[1] && report[2]) return { target: { kind: 'report', slug: report[1], locale: report[2] }, hash };
  const readme = README.exec(rel);
  if (readme) return { target: { kind: 'readme', locale: readme[1] ?? defaultLocale }, hash };
  const chart = CHART.exec(rel);
  if (chart?.[1]) return { target: { kind: 'chart', stem: chart[1] }, hash };
  return null;
}

/** Where a target lives on the site, as a link from a page in `site/` (charts have no page: null). */
export function siteHref(target: Target, defaultLocale: string): string | null {
  switch (target.kind) {
    case 'report':
      return linkFrom(sitePagePath('x', 'x'), sitePagePath(target.slug, target.locale));
    case 'readme':
      return indexName(target.locale, defaultLocale);
    case 'chart':
      return null;
  }
}
