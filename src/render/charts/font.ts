/**
 * The one font of every chart: Noto Sans SC from npm (covers Latin and Chinese), so PNGs never
 * depend on system fonts. A build subsets it once to the characters its charts use.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import subsetFont from 'subset-font';

export const FONT_FAMILY = 'Noto Sans SC';

const require = createRequire(import.meta.url);

export function fontPath(): string {
  return require.resolve('@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf');
}

let full: Buffer | null = null;

/** A TrueType subset holding just `text`'s characters (plus digits and ASCII, always). */
export async function subsetFor(text: string): Promise<Buffer> {
  full ??= readFileSync(fontPath());
  const ascii = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).join('');
  const chars = [...new Set([...ascii, ...text, '×', '–', '…', '%'])].sort().join('');
  return subsetFont(full, chars, { targetFormat: 'truetype' });
}
