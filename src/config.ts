/** Optional `benchbook.config.json` at the repository root: locales and the default one. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { messages as catalog } from './messages.js';
import type { Message } from './model.js';

const schema = z
  .object({
    locales: z.array(z.string().regex(/^[a-z]{2}(-[A-Za-z]+)?$/)).min(1).optional(),
    defaultLocale: z.string().optional(),
  })
  .strict();

export interface BuildConfig {
  locales: string[];
  defaultLocale: string;
}

export const DEFAULT_CONFIG: BuildConfig = { locales: ['zh', 'en'], defaultLocale: 'zh' };

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
  return { config: { locales, defaultLocale }, messages: [] };
}
