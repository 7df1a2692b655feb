/**
 * The HTML site (`site/`): every report per locale as a page inside the layout, an index per locale
 * with one card per report, local CSS and the font subset the pages and inline SVG charts use.
 * Pure: returns file contents by path; links are relative, so it works from file:// and under a
 * GitHub Pages sub-path alike.
 */
import type { ReportView } from '../markdown/view.js';
import { mdTextToPlain } from '../markdown/escape.js';
import { word, type Strings } from '../strings.js';
import { escapeHtml, page } from './layout.js';
import { markdownProcessor } from './markdown.js';

export interface SitePage {
  slug: string;
  locale: string;
  view: ReportView;
  markdown: string;
}

export interface SiteInput {
  locales: string[];
  defaultLocale: string;
  pages: SitePage[];
  svgs: Map<string, string>;
  strings: Record<string, Strings>;
  css: string;
  /** Whether site/pdf/<slug>.<locale>.pdf will exist (a browser was found). */
  withPdf: boolean;
}

export function indexName(locale: string, defaultLocale: string): string {
  return locale === defaultLocale ? 'index.html' : `index.${locale}.html`;
}

function stripSvgScripts(svg: string): string {
  return svg.replace(/<script[\s\S]*?<\/script>/gi, '').replace(/\son\w+="[^"]*"/gi, '');
}

/** Text of all pages, for the font subset. */
export function siteText(input: SiteInput): string {
  return input.pages.map((p) => p.markdown).join('') + Object.values(input.strings).map((s) => Object.values(s).join('')).join('');
}

export function renderSite(input: SiteInput): Map<string, string> {
  const out = new Map<string, string>();
  const { locales, defaultLocale } = input;
  const slugs = [...new Set(input.pages.map((p) => p.slug))];
  const processor = markdownProcessor({
    page(href) {
      const m = /^(?:\.\.\/)?(?:reports\/)?([^/]+)\.([a-z]{2}(?:-[A-Za-z]+)?)\.md(#.*)?$/.exec(href);
      if (m?.[1] && m[2] && m[1] !== 'README') return `${m[1]}.${m[2]}.html${m[3] ?? ''}`;
      const r = /^(?:\.\.\/)?README(?:\.([a-z]{2}(?:-[A-Za-z]+)?))?\.md$/.exec(href);
      if (r) return indexName(r[1] ?? defaultLocale, defaultLocale);
      return null;
    },
    chart(src) {
      const m = /^(?:\.\.\/)?(images\/.+)\.png$/.exec(src);
      const svg = m?.[1] ? input.svgs.get(decodeURI(m[1])) : undefined;
      return svg === undefined ? null : stripSvgScripts(svg);
    },
  });
  const languages = (target: (l: string) => string, current: string) =>
    locales.map((l) => ({ label: word(input.strings[l] ?? {}, 'locale.name'), href: target(l), current: l === current }));

  for (const locale of locales) {
    const s = input.strings[locale] ?? {};
    const mine = input.pages.filter((p) => p.locale === locale);
    const nav = (current: string | null) =>
      slugs.map((slug) => {
        const p = mine.find((x) => x.slug === slug);
        return { title: p ? mdTextToPlain(p.view.title) : slug, href: `${slug}.${locale}.html`, current: slug === current };
      });
    for (const p of mine) {
      const body = String(processor.processSync(p.markdown));
      const html = page({
        lang: locale,
        title: mdTextToPlain(p.view.title),
        body,
        nav: nav(p.slug),
        indexHref: indexName(locale, defaultLocale),
        indexLabel: word(s, 'site.index'),
        languages: languages((l) => `${p.slug}.${l}.html`, locale),
        ...(input.withPdf ? { pdfHref: `pdf/${p.slug}.${locale}.pdf`, pdfLabel: word(s, 'site.pdf') } : {}),
      });
      out.set(`site/${p.slug}.${locale}.html`, html);
    }
    const cards = mine.map((p) => card(p, s, input.withPdf)).join('\n');
    out.set(
      `site/${indexName(locale, defaultLocale)}`,
      page({
        lang: locale,
        title: word(s, 'site.title'),
        body: `<h1>${escapeHtml(word(s, 'site.title'))}</h1>\n<p>${escapeHtml(word(s, 'site.lead'))}</p>\n<div class="cards">\n${cards}\n</div>`,
        nav: nav(null),
        indexHref: indexName(locale, defaultLocale),
        indexLabel: word(s, 'site.index'),
        languages: languages((l) => indexName(l, defaultLocale), locale),
      }),
    );
  }
  out.set('site/assets/style.css', input.css);
  out.set('site/.nojekyll', '');
  return out;
}


/** experiment.yaml's `gpu` fact, when no capture names the GPUs. */
function hardwareFact(v: ReportView): string | null {
  const f = v.environment.facts.find((x) => /^(gpu|gpus|hardware)$/i.test(mdTextToPlain(x.key)));
  return f ? escapeHtml(mdTextToPlain(f.value)) : null;
}

function card(p: SitePage, s: Strings, withPdf: boolean): string {
  const v = p.view;
  const e = (md: string) => escapeHtml(mdTextToPlain(md));
  const precisions = [...new Set(v.runs.map((r) => r.precision).filter((x): x is string => x !== null))];
  const best = [...v.runs].filter((r) => r.decodeTps !== null).sort((a, b) => (b.decodeTps ?? 0) - (a.decodeTps ?? 0))[0];
  const fmt = (n: number, d = 2) => new Intl.NumberFormat(p.locale === 'zh' ? 'zh-CN' : 'en-US', { maximumFractionDigits: d }).format(n);
  const rows: [string, string][] = [
    [word(s, 'site.date'), escapeHtml(v.date)],
    [word(s, 'site.model'), v.models.length ? v.models.map(e).join(', ') : '–'],
    [word(s, 'site.hardware'), v.environment.gpus[0] ? e(v.environment.gpus[0].text) : hardwareFact(v) ?? '–'],
    [word(s, 'site.precision'), precisions.length ? precisions.map(e).join(', ') : '–'],
  ];
  const headlines: string[] = [];
  if (best?.decodeTps != null) headlines.push(`${escapeHtml(word(s, 'site.bestDecode'))}: ${e(best.label)} ${fmt(best.decodeTps, 2)} tok/s`);
  for (const c of v.comparisons) {
    for (const r of c.rows.filter((x) => !x.isBaseline && x.decode !== null)) headlines.push(`${e(r.label)} / ${e(c.baseline)}: ${fmt(r.decode as number)}×`);
  }
  for (const sw of v.sweeps) if (sw.peak.tps !== null) headlines.push(`${escapeHtml(word(s, 'site.sweepPeak'))}: c=${sw.peak.concurrency}, ${fmt(sw.peak.tps)} tok/s`);
  for (const a of v.accuracy.rows) if (a.total !== null) headlines.push(`${e(a.variant)} ${a.correct}/${a.total}`);
  return `<article class="card">
<h2><a href="${escapeHtml(`${p.slug}.${p.locale}.html`)}">${e(v.title)}</a></h2>
<dl>${rows.map(([k, val]) => `<dt>${escapeHtml(k)}</dt><dd>${val}</dd>`).join('')}</dl>
<ul>${headlines.slice(0, 6).map((h) => `<li>${h}</li>`).join('')}</ul>
${withPdf ? `<p class="pdf-link"><a href="${escapeHtml(`pdf/${p.slug}.${p.locale}.pdf`)}">${escapeHtml(word(s, 'site.pdf'))}</a></p>` : ''}
</article>`;
}
