/**
 * The report's and README's Handlebars templates, read by the pipeline and handed in as text,
 * compiled once per process per locale with the formatting helpers. The structure exists once
 * (`templates/report.md.hbs`, `readme.md.hbs`, `partials/`); each locale brings its words
 * (`templates/<locale>/words.json`, looked up with `{{t "key" name=value}}`) and may override a
 * template or partial. Every figure comes from the view. Output escaping is the view's job
 * (Markdown, not HTML), so `noEscape`.
 */
import { slug } from 'github-slugger';
import Handlebars from 'handlebars';
import { formatDate, formatFigure, formatNumber, formatPercent, formatRatio, QUANTITIES, type Digits, type Quantity } from '../numbers.js';

export interface LocaleTemplates {
  report: Handlebars.TemplateDelegate;
  readme: Handlebars.TemplateDelegate;
  overview: Handlebars.TemplateDelegate;
}

type Options = Handlebars.HelperOptions;

/**
 * `{{t "key" name=value}}`: the locale's words for `key`, each `{name}` replaced by the value given
 * (one pass: a value is never read for placeholders). Several parts are joined with dots
 * (`{{t "finding" code}}` → `finding.<code>`); such an enum value without words shows nothing,
 * while a missing plain key is a bug in the templates and fails loudly.
 */
function translator(locale: string, words: Record<string, string>): Handlebars.HelperDelegate {
  return (...args: unknown[]) => {
    const options = args.pop() as Options;
    const parts = args.map(String);
    const key = parts.join('.');
    const text = words[key];
    if (text === undefined) {
      if (parts.length > 1) return '';
      throw new Error(`templates: ${locale}/words.json has no "${key}"`);
    }
    const values = (options.hash ?? {}) as Record<string, unknown>;
    return text.replace(/\{(\w+)\}/g, (all, name: string) => (name in values ? String(values[name]) : all));
  };
}

function helpersFor(locale: string, words: Record<string, string>): Record<string, Handlebars.HelperDelegate> {
  const digitsOf = (d: unknown, fallback: number) => (typeof d === 'number' ? d : fallback);
  return {
    t: translator(locale, words),
    /** `(either a b)`: a unless it is empty, else b (`(either (t "metric" name) name)`: the words for a name, else the name). */
    either: (a: unknown, b: unknown) => (a === '' || a === null || a === undefined ? b : a),
    /** `(choose cond a b)`: a when cond holds, else b. */
    choose: (cond: unknown, a: unknown, b: unknown) => (cond ? a : b),
    num: (v: unknown, d: unknown) => formatNumber(v, locale, digitsOf(d, 2)),
    int: (v: unknown) => formatNumber(v, locale, 0),
    /**
     * `{{fig value "decodeTps"}}`: a figure with its quantity's decimals in this experiment (see
     * numbers.ts), taken from the view's `digits`, or from `digits=…` where the root holds several
     * experiments (the README).
     */
    fig: (v: unknown, q: unknown, options: Options) => {
      const digits = ((options.hash as { digits?: Digits }).digits ?? (options.data?.root as { digits?: Digits } | undefined)?.digits) as Digits | undefined;
      if (!digits || !QUANTITIES.includes(q as Quantity)) throw new Error(`templates: fig needs a quantity (${QUANTITIES.join(', ')}) and the view's digits, got "${String(q)}"`);
      return formatFigure(v, locale, q as Quantity, digits);
    },
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
    /** `(list items sep last)`: items joined with `sep`, the last two with `last` ("a, b and c"). */
    list: (items: unknown, sep: unknown, last: unknown) => {
      const xs = Array.isArray(items) ? items.map(String) : [];
      return xs.length < 2 ? (xs[0] ?? '') : `${xs.slice(0, -1).join(String(sep))}${String(last)}${xs[xs.length - 1]}`;
    },
    /** A heading's anchor as GitHub (and the site, through rehype-slug) writes it: `[…](#{{slug title}})`. */
    slug: (text: unknown) => slug(String(text)),
    /** 1-based position in an #each. */
    pos: (options: Options) => (typeof options.data?.index === 'number' ? options.data.index + 1 : 0),
  };
}

/** The text of one locale's templates (the shared ones, or its own overrides) and its words. */
export interface LocaleSources {
  report: string;
  readme: string;
  overview: string;
  partials: Record<string, string>;
  words: Record<string, string>;
}

/** Every locale's template text, and a key that changes whenever any of it does. */
export interface TemplateSources {
  key: string;
  locales: Record<string, LocaleSources>;
}

const COMPILE_OPTIONS = { noEscape: true, strict: true, preventIndent: true } as const;

/**
 * Each template text compiled (parsed and turned into code) once per process, whatever the locale:
 * the locales share most of their templates, and the compiled code takes its helpers from the
 * environment it is bound to (compileTemplates), so one compilation serves them all. It was half
 * of what compiling the templates of two locales cost.
 */
const specs = new Map<string, TemplateSpecification>();

type TemplateSpecification = ReturnType<typeof Handlebars.precompile>;

function specOf(text: string): TemplateSpecification {
  let spec = specs.get(text);
  if (!spec) {
    // precompile gives the compiled template as JavaScript source; evaluated here as Handlebars'
    // own compile evaluates what it generates.
    spec = new Function(`return ${String(Handlebars.precompile(text, { ...COMPILE_OPTIONS }))};`)() as TemplateSpecification;
    specs.set(text, spec);
  }
  return spec;
}

/**
 * A template compiled on its first use, as Handlebars' own compile does: a template or partial
 * with an error fails the reports that use it, where the error is reported, not the build.
 */
function lazily(make: () => Handlebars.TemplateDelegate): Handlebars.TemplateDelegate {
  let compiled: (Handlebars.TemplateDelegate & Inner) | null = null;
  const get = () => (compiled ??= make() as Handlebars.TemplateDelegate & Inner);
  const ret = function (this: unknown, context: unknown, options?: Handlebars.RuntimeOptions) {
    return get().call(this, context, options);
  } as Handlebars.TemplateDelegate & Inner;
  // What Handlebars calls on a partial besides the partial itself (partial blocks, inline partials).
  ret._setup = (o: unknown) => get()._setup(o);
  ret._child = (...a: unknown[]) => get()._child(...a);
  return ret;
}

/** The inner entry points of a compiled template that Handlebars' runtime uses. */
interface Inner {
  _setup(options: unknown): unknown;
  _child(...args: unknown[]): unknown;
}

export function compileTemplates(sources: LocaleSources, locale: string): LocaleTemplates {
  const hb = Handlebars.create();
  for (const [name, fn] of Object.entries(helpersFor(locale, sources.words))) hb.registerHelper(name, fn);
  // An error names the template (under templates/, or the locale's own folder where it has one).
  const compile = (text: string, file: string) =>
    lazily(() => {
      try {
        return hb.template(specOf(text));
      } catch (e) {
        throw new Error(`template ${file} (${locale}): ${e instanceof Error ? e.message : String(e)}`);
      }
    });
  // Partials compiled here, once: a partial registered as text is compiled again on every render.
  for (const [name, text] of Object.entries(sources.partials)) hb.registerPartial(name, compile(text.replace(/\n$/, ''), `partials/${name}.md.hbs`));
  return { report: compile(sources.report, 'report.md.hbs'), readme: compile(sources.readme, 'readme.md.hbs'), overview: compile(sources.overview, 'overview.md.hbs') };
}

const compiled = new Map<string, LocaleTemplates>();

/** The templates of a locale, compiled once per process. */
export function templatesFor(sources: TemplateSources, locale: string): LocaleTemplates {
  const key = `${sources.key}\u0000${locale}`;
  let t = compiled.get(key);
  if (!t) {
    const own = sources.locales[locale];
    if (!own) throw new Error(`templates: no templates for locale "${locale}"`);
    t = compileTemplates(own, locale);
    compiled.set(key, t);
  }
  return t;
}

const CJK = '\\u3000-\\u303f\\u3400-\\u9fff\\uf900-\\ufaff\\uff00-\\uffef';
const CJK_GAP = new RegExp(`([${CJK}]) (?=[${CJK}])`, 'g');

/**
 * Collapses the blank-line runs template logic leaves behind; one trailing newline. In a locale
 * written without spaces between words (zh, ja), a space the words put around a value that turned
 * out to be Chinese too ("基线 不绑定 的") is dropped, outside fenced code.
 */
export function tidy(markdown: string, locale = ''): string {
  let text = markdown.replace(/[ \t]+$/gm, '').replace(/\n{3,}/g, '\n\n').trim() + '\n';
  if (/^(zh|ja)\b/.test(locale)) {
    let fence = false;
    text = text
      .split('\n')
      .map((line) => {
        if (/^(`{3,}|~{3,})/.test(line)) fence = !fence;
        return fence ? line : line.replace(CJK_GAP, '$1');
      })
      .join('\n');
  }
  return text;
}
