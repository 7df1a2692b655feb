/**
 * The chart font on disk: the full Noto Sans SC from npm, read once per process, and the subsets the
 * PNG rasteriser reads from files (resvg-js takes fonts from files only), in a temporary folder that
 * lives as long as one experiment's rendering.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FONT_MODULE, subsetFor } from '../render/charts/font.js';
import type { ChartFonts } from '../render/experiment.js';

let full: Buffer | null = null;

export function fullFont(): Buffer {
  full ??= readFileSync(createRequire(import.meta.url).resolve(FONT_MODULE));
  return full;
}

/** A subset of the chart font holding `text`'s characters. */
export function fontSubset(text: string): Promise<Buffer> {
  return subsetFor(fullFont(), text);
}

/**
 * Where this thread's chart font subsets come from: made here, or asked of the thread that makes
 * them for the whole build (a render worker asks the main thread: subsetting loads the full font
 * and the subsetter's WebAssembly, some 90 MiB a thread).
 */
let subsetSource: (text: string) => Promise<Buffer> = fontSubset;

let chartFont: { chars: Set<string>; bytes: Promise<Buffer> } | null = null;

export function takeChartFontsFrom(source: (text: string) => Promise<Buffer>): void {
  subsetSource = source;
  chartFont = null;
}

/**
 * The PNG charts' font in this thread: one subset, grown to the union of the characters asked for
 * so far, so that most experiments need no new one. A glyph draws the same from any subset that
 * holds it, so the PNGs do not depend on which experiments came before, nor on which thread drew
 * them: a subset asked of another thread holds at least the characters asked for.
 */
export function chartFontFor(text: string): Promise<Buffer> {
  const chars = new Set(text);
  const have = chartFont;
  if (have && [...chars].every((c) => have.chars.has(c))) return have.bytes;
  const union = new Set([...(have?.chars ?? []), ...chars]);
  const next = { chars: union, bytes: subsetSource([...union].sort().join('')) };
  chartFont = next;
  // A failed subset is not kept: the next experiment asks again.
  next.bytes.catch(() => {
    if (chartFont === next) chartFont = have;
  });
  return next.bytes;
}

/** Runs `use` with font files made on demand; removes them afterwards. */
export async function withChartFonts<T>(use: (fonts: ChartFonts) => Promise<T>): Promise<T> {
  let dir: string | null = null;
  let n = 0;
  const fonts: ChartFonts = {
    async fileFor(text) {
      dir ??= await mkdtemp(join(tmpdir(), 'benchbook-font-'));
      const file = join(dir, `font-${n++}.ttf`);
      await writeFile(file, await chartFontFor(text));
      return file;
    },
  };
  try {
    return await use(fonts);
  } finally {
    if (dir !== null) await rm(dir, { recursive: true, force: true });
  }
}
