/**
 * The one font of every chart: Noto Sans SC from npm (covers Latin and Chinese), so PNGs never
 * depend on system fonts. The pipeline reads it (pipeline/fonts.ts); a build subsets it to the
 * characters its charts and pages use.
 */

export const FONT_FAMILY = 'Noto Sans SC';

/** The npm module path of the full font. */
export const FONT_MODULE = '@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf';

/** A TrueType subset of `full` holding just `text`'s characters (plus digits and ASCII, always). */
export async function subsetFor(full: Buffer, text: string): Promise<Buffer> {
  const ascii = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).join('');
  const chars = [...new Set([...ascii, ...text, '×', '–', '…', '%'])].sort().join('');
  // Loaded when first needed: a build whose fonts are all kept never loads the subsetter.
  const { default: subsetFont } = await import('subset-font');
  return subsetFont(full, chars, { targetFormat: 'truetype' });
}
