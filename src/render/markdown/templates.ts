/**
 * Handlebars templates per locale (`templates/<locale>/{report,readme}.md.hbs` and `partials/`),
 * compiled once per build with the formatting helpers. Templates hold the words; every figure
 * comes from the view. Output escaping is the view's job (Markdown, not HTML), so `noEscape`.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import { formatDate, formatNumber, formatPercent, formatRatio } from './format.js';

export interface LocaleTemplates {
  report: Handlebars.TemplateDelegate;
  readme: Handlebars.TemplateDelegate;
}

type Options = Handlebars.HelperOptions;

function helpersFor(locale: string): Record<string, Handlebars.HelperDelegate> {
  const digitsOf = (d: unknown, fallback: number) => (typeof d === 'number' ? d : fallback);
  return {
    num: (v: unknown, d: unknown) => formatNumber(v, locale, digitsOf(d, 2)),
    int: (v: unknown) => formatNumber(v, locale, 0),
    ratio: (v: unknown, d: unknown) => formatRatio(v, locale, digitsOf(d, 2)),
    pct: (v: unknown, d: unknown) => formatPercent(v, locale, digitsOf(d, 1)),
    date: (v: unknown) => formatDate(String(v), locale),
    eq: (a: unknown, b: unknown) => a === b,
    ne: (a: unknown, b: unknown) => a !== b,
    gt: (a: unknown, b: unknown) => typeof a === 'number' && typeof b === 'number' && a > b,
    lt: (a: unknown, b: unknown) => typeof a === 'number' && typeof b === 'number' && a < b,
    and: (...args: unknown[]) => args.slice(0, -1).every(Boolean),
    or: (...args: unknown[]) => args.slice(0, -1).some(Boolean),
    not: (a: unknown) => !a,
    isNull: (a: unknown) => a === null || a === undefined,
    len: (a: unknown) => (Array.isArray(a) ? a.length : 0),
    /** Joins a list's `field` (or the items) with `sep`. */
    join: (list: unknown, field: unknown, sep: unknown) =>
      Array.isArray(list) ? list.map((x) => (typeof field === 'string' && field && typeof x === 'object' && x !== null ? (x as Record<string, unknown>)[field] : x)).join(typeof sep === 'string' ? sep : ', ') : '',
    add: (a: unknown, b: unknown) => (typeof a === 'number' && typeof b === 'number' ? a + b : a),
    /** 1-based position in an #each. */
    pos: (options: Options) => (typeof options.data?.index === 'number' ? options.data.index + 1 : 0),
  };
}

export function loadTemplates(templatesDir: string, locale: string): LocaleTemplates {
  const dir = join(templatesDir, locale);
  const hb = Handlebars.create();
  for (const [name, fn] of Object.entries(helpersFor(locale))) hb.registerHelper(name, fn);
  const partialsDir = join(dir, 'partials');
  if (existsSync(partialsDir)) {
    for (const f of readdirSync(partialsDir).sort()) {
      if (f.endsWith('.md.hbs')) hb.registerPartial(f.replace(/\.md\.hbs$/, ''), readFileSync(join(partialsDir, f), 'utf8').replace(/\n$/, ''));
    }
  }
  const compile = (name: string) => hb.compile(readFileSync(join(dir, name), 'utf8'), { noEscape: true, strict: true, preventIndent: true });
  return { report: compile('report.md.hbs'), readme: compile('readme.md.hbs') };
}

const compiled = new Map<string, LocaleTemplates>();

/** The templates of a locale, compiled once per process. */
export function templatesFor(templatesDir: string, locale: string): LocaleTemplates {
  const key = `${templatesDir}\u0000${locale}`;
  let t = compiled.get(key);
  if (!t) {
    t = loadTemplates(templatesDir, locale);
    compiled.set(key, t);
  }
  return t;
}

/** Collapses the blank-line runs template logic leaves behind; one trailing newline. */
export function tidy(markdown: string): string {
  return markdown.replace(/[ \t]+$/gm, '').replace(/\n{3,}/g, '\n\n').trim() + '\n';
}
