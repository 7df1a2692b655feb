/** Optional `benchbook.config.json` at the repository root: locales, the default one, and where the site is published. */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { messages as catalog } from './messages.js';
import type { Message, Slo } from './model.js';
import { sloFrom, sloSchema } from './assemble/slo.js';

/** A change beyond this fraction (in the direction that is worse) is a regression, unless configured otherwise. */
export const DEFAULT_REGRESSION_THRESHOLD = 0.05;

const schema = z
  .object({
    locales: z.array(z.string().regex(/^[a-z]{2}(-[A-Za-z]+)?$/)).min(1).optional(),
    defaultLocale: z.string().optional(),
    /** The published site's address (GitHub Pages): the PDFs link their site pages there. */
    siteUrl: z.string().regex(/^https?:\/\/[^\s/?#]+[^\s]*$/, 'expected an http(s) address such as https://owner.github.io/reports/').optional(),
    /** The latency objective of every experiment whose experiment.yaml sets none: a preset's name or limits. */
    slo: sloSchema.optional(),
    /** A change between two points of a series beyond this fraction, in the worse direction, is a regression. */
    regressionThreshold: z.number().gt(0).lt(1).optional(),
  })
  .strict();

export interface BuildConfig {
  locales: string[];
  defaultLocale: string;
  /** Where the site is published, ending in `/`; null: links between site pages are plain text in the PDFs. */
  siteUrl: string | null;
  /** The SLO of experiments that set none themselves, or null. */
  slo: Slo | null;
  regressionThreshold: number;
}

export const DEFAULT_CONFIG: BuildConfig = { locales: ['zh', 'en'], defaultLocale: 'zh', siteUrl: null, slo: null, regressionThreshold: DEFAULT_REGRESSION_THRESHOLD };

export async function readConfig(root: string): Promise<{ config: BuildConfig; messages: Message[] }> {
  const file = 'benchbook.config.json';
  let text: string;
  try {
    text = await readFile(join(root, file), 'utf8');
  } catch {
    return { config: DEFAULT_CONFIG, messages: [] };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return { config: DEFAULT_CONFIG, messages: [catalog.configSyntax(file, e instanceof Error ? e.message : String(e))] };
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    return {
      config: DEFAULT_CONFIG,
      messages: parsed.error.issues.map((i) => catalog.configInvalid(file, '/' + i.path.join('/'), i.message)),
    };
  }
  const locales = parsed.data.locales ?? DEFAULT_CONFIG.locales;
  const defaultLocale = parsed.data.defaultLocale ?? locales[0] ?? 'zh';
  if (!locales.includes(defaultLocale)) {
    return { config: DEFAULT_CONFIG, messages: [catalog.configInvalid(file, '/defaultLocale', `defaultLocale "${defaultLocale}" is not one of locales`)] };
  }
  const siteUrl = parsed.data.siteUrl === undefined ? null : parsed.data.siteUrl.replace(/\/?$/, '/');
  const slo = sloFrom(parsed.data.slo);
  return { config: { locales, defaultLocale, siteUrl, slo, regressionThreshold: parsed.data.regressionThreshold ?? DEFAULT_REGRESSION_THRESHOLD }, messages: [] };
}

/**
 * The repository root whose `benchbook.config.json` applies to `path` (an artifacts folder, an
 * experiment folder or a file in one): the nearest of its parents, up to three levels, that has
 * one; else the artifacts folder's parent.
 */
export function configRootOf(path: string): string {
  let dir = dirname(path);
  for (let i = 0; i < 3; i++) {
    if (existsSync(join(dir, 'benchbook.config.json'))) return dir;
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return dirname(path);
}
