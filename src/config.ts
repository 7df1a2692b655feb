/** Optional `benchbook.config.json` at the repository root: locales, the default one, and where the site is published. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { messages as catalog } from './messages.js';
import type { Message } from './model.js';

const schema = z
  .object({
    locales: z.array(z.string().regex(/^[a-z]{2}(-[A-Za-z]+)?$/)).min(1).optional(),
    defaultLocale: z.string().optional(),
    /** The published site's address (GitHub Pages): the PDFs link their site pages there. */
    siteUrl: z.string().regex(/^https?:\/\/[^\s/?#]+[^\s]*$/, 'expected an http(s) address such as https://owner.github.io/reports/').optional(),
  })
  .strict();

export interface BuildConfig {
  locales: string[];
  defaultLocale: string;
  /** Where the site is published, ending in `/`; null: links between site pages are plain text in the PDFs. */
  siteUrl: string | null;
}

export const DEFAULT_CONFIG: BuildConfig = { locales: ['zh', 'en'], defaultLocale: 'zh', siteUrl: null };

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
  return { config: { locales, defaultLocale, siteUrl }, messages: [] };
}
