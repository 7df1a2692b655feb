/**
 * Every input format: the definitions in src/parse/formats/, found there when this module loads
 * (one file each; adding a format adds a file and nothing else), sorted by their `order`.
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { FormatDefinition, JsonFormat, TextFormat } from './format.js';

const dir = new URL('./formats/', import.meta.url);

async function discover(): Promise<FormatDefinition[]> {
  const names = readdirSync(fileURLToPath(dir))
    .filter((n) => /\.(js|ts)$/.test(n) && !n.endsWith('.d.ts'))
    .sort();
  const found: FormatDefinition[] = [];
  for (const name of names) {
    const mod = (await import(pathToFileURL(fileURLToPath(new URL(name, dir))).href)) as { default?: FormatDefinition };
    if (!mod.default || typeof mod.default.id !== 'string') throw new Error(`src/parse/formats/${name}: expected a format definition as its default export`);
    found.push(mod.default);
  }
  const ids = new Set<string>();
  for (const f of found) {
    if (ids.has(f.id)) throw new Error(`format "${f.id}" is defined twice in src/parse/formats/`);
    ids.add(f.id);
  }
  return found.sort((a, b) => a.order - b.order || a.id.localeCompare(b.id));
}

/** Every format, in order. */
export const FORMATS: readonly FormatDefinition[] = await discover();

export const JSON_FORMATS: readonly JsonFormat[] = FORMATS.filter((f): f is JsonFormat => f.input === 'json');
export const TEXT_FORMATS: readonly TextFormat[] = FORMATS.filter((f): f is TextFormat => f.input === 'text');

export function formatById(id: string): FormatDefinition | undefined {
  return FORMATS.find((f) => f.id === id);
}

/** The load generator of a run: the one its metadata names (a format read for several tools), else its format's. */
export function toolOf(run: { format: string; metadata: Record<string, string> }): string | null {
  return run.metadata['tool'] ?? formatById(run.format)?.tool ?? null;
}
