/**
 * What every stage shares and every experiment's rendering depends on besides its own files: the
 * config, the templates and words per locale, the docs appended to the README, the site's CSS, and
 * a stamp of all of it plus benchbook's own code (a changed benchbook never serves what its older
 * self made).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sha256 } from '../hash.js';
import { readConfig, type BuildConfig } from '../config.js';
import type { Message } from '../model.js';
import type { RenderContext } from '../render/experiment.js';
import type { LocaleSources, TemplateSources } from '../render/markdown/templates.js';
import type { Strings } from '../render/strings.js';

export interface BuildContext {
  root: string;
  config: BuildConfig;
  configMessages: Message[];
  templatesDir: string;
  /** What rendering an experiment needs (sent to render workers as is). */
  render: RenderContext;
  /** The tool's own documentation files present in the repository (docs/benchbook.md, …), linked from the README pair. */
  docs: string[];
  css: string;
  /** What every experiment's rendering depends on besides its files: benchbook's code, config, templates. */
  stamp: string;
}

const here = dirname(fileURLToPath(import.meta.url));

/** Whether `dir` is a templates folder: the shared report template, or (older layout) one per locale. */
function isTemplates(dir: string): boolean {
  return existsSync(join(dir, 'report.md.hbs')) || existsSync(join(dir, 'en', 'report.md.hbs')) || existsSync(join(dir, 'zh', 'report.md.hbs'));
}

/** The templates folder: the repository's own when it has one, else the one shipped with benchbook. */
export function templatesDirFor(root: string): string {
  const own = join(root, 'templates');
  if (isTemplates(own)) return own;
  let dir = here;
  for (let i = 0; i < 5; i++) {
    if (isTemplates(join(dir, 'templates'))) return join(dir, 'templates');
    dir = dirname(dir);
  }
  throw new Error('benchbook: no templates folder found');
}

export function packageVersion(): string {
  let dir = here;
  for (let i = 0; i < 5; i++) {
    const p = join(dir, 'package.json');
    if (existsSync(p)) return (JSON.parse(readFileSync(p, 'utf8')) as { version?: string }).version ?? '0';
    dir = dirname(dir);
  }
  return '0';
}

/** Every file under `dir` whose name `keep` accepts, sorted: relative path, then content, for hashing. */
function treeParts(dir: string, keep: (name: string) => boolean): string[] {
  const parts: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (keep(name)) parts.push(relative(dir, p), readFileSync(p, 'utf8'));
    }
  };
  walk(dir);
  return parts;
}

let ownCode: string | null = null;

/** benchbook's version and its own code (every module of it). */
function toolStamp(): string {
  ownCode ??= sha256(packageVersion(), ...treeParts(dirname(here), (n) => /\.(js|ts)$/.test(n)));
  return ownCode;
}

export function loadStrings(templatesDir: string, locale: string): Strings {
  return JSON.parse(readFileSync(join(templatesDir, locale, 'strings.json'), 'utf8')) as Strings;
}

function partialsIn(dir: string, into: Record<string, string>): void {
  if (!existsSync(dir)) return;
  for (const f of readdirSync(dir).sort()) {
    if (f.endsWith('.md.hbs')) into[f.replace(/\.md\.hbs$/, '')] = readFileSync(join(dir, f), 'utf8');
  }
}

/** A locale's templates: the shared ones with the locale's own overrides, and its words. */
function localeSources(templatesDir: string, locale: string): LocaleSources {
  const own = join(templatesDir, locale);
  const pick = (name: string) => readFileSync(existsSync(join(own, name)) ? join(own, name) : join(templatesDir, name), 'utf8');
  const partials: Record<string, string> = {};
  partialsIn(join(templatesDir, 'partials'), partials);
  partialsIn(join(own, 'partials'), partials);
  const wordsFile = join(own, 'words.json');
  const words = existsSync(wordsFile) ? (JSON.parse(readFileSync(wordsFile, 'utf8')) as Record<string, string>) : {};
  return { report: pick('report.md.hbs'), readme: pick('readme.md.hbs'), overview: pick('overview.md.hbs'), partials, words };
}

/** The documentation the README pair links to when the repository has it: the manual, then the architecture. */
const DOCS = ['docs/benchbook.md', 'docs/architecture.md'];

export async function prepare(root: string): Promise<BuildContext> {
  const { config, messages: configMessages } = await readConfig(root);
  const templatesDir = templatesDirFor(root);
  const strings = Object.fromEntries(config.locales.map((l) => [l, loadStrings(templatesDir, l)]));
  const docs = DOCS.filter((d) => existsSync(join(root, d)));
  const css = await readFile(join(templatesDir, 'site', 'style.css'), 'utf8');
  const templateParts = treeParts(templatesDir, () => true);
  const templates: TemplateSources = {
    key: sha256(...templateParts),
    locales: Object.fromEntries(config.locales.map((l) => [l, localeSources(templatesDir, l)])),
  };
  const stamp = sha256(toolStamp(), JSON.stringify(config), JSON.stringify(configMessages), ...templateParts);
  return { root, config, configMessages, templatesDir, render: { locales: config.locales, defaultLocale: config.defaultLocale, strings, templates, slo: config.slo }, docs, css, stamp };
}

/** A file-name-safe, unique slug for an experiment id. */
export function slugOf(id: string, taken: Set<string>): string {
  const base = id.normalize('NFKD').replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[-.]+|-+$/g, '') || 'experiment';
  let slug = base;
  for (let i = 2; taken.has(slug); i++) slug = `${base}-${i}`;
  taken.add(slug);
  return slug;
}
