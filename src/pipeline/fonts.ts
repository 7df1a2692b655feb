/**
 * The chart font on disk: the full Noto Sans SC from npm, read once per process, and the subsets the
 * PNG rasteriser reads from files (resvg-js takes fonts from files only), in a temporary folder that
 * lives as long as one experiment's rendering.
 */
import { readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FONT_MODULE, subsetFor } from '../render/charts/font.js';
import type { ChartFonts } from '../render/experiment.js';
import { sha256 } from '../hash.js';

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
/** Whether chartFont grew since takeGrownChartFont last looked. */
let grown = false;
/** Where the first chart font of this thread may come from instead of the subsetter (seedChartFontFrom). */
let seed: (() => Promise<{ chars: string; bytes: Uint8Array } | null>) | null = null;
let seeding: Promise<void> | null = null;

export function takeChartFontsFrom(source: (text: string) => Promise<Buffer>): void {
  subsetSource = source;
  chartFont = null;
}

/**
 * A subset to start from when this thread has none yet (the one the last build ended with, from
 * the cache): asked for when a chart first needs a font, so a build that draws none never reads it.
 */
export function seedChartFontFrom(load: () => Promise<{ chars: string; bytes: Uint8Array } | null>): void {
  seed = load;
  seeding = null;
}

/** The chart font as it is now, if it grew since the last call (for the cache to keep), else null. */
export async function takeGrownChartFont(): Promise<{ chars: string; bytes: Buffer } | null> {
  const now = chartFont;
  if (!grown || now === null) return null;
  grown = false;
  try {
    return { chars: [...now.chars].sort().join(''), bytes: await now.bytes };
  } catch {
    return null;
  }
}

/** This thread's chart font forgotten (a test's fresh start). */
export function forgetChartFont(): void {
  chartFont = null;
  grown = false;
  seed = null;
  seeding = null;
}

/**
 * The PNG charts' font in this thread: one subset, grown to the union of the characters asked for
 * so far, so that most experiments need no new one, and started from the seed where there is one.
 * A glyph draws the same from any subset that holds it, so the PNGs do not depend on which
 * experiments came before, on which thread drew them, nor on the seed: a subset asked of another
 * thread, or kept from the last build, holds at least the characters asked for.
 */
export async function chartFontFor(text: string): Promise<Buffer> {
  if (chartFont === null && seed !== null) {
    const load = seed;
    seeding ??= load().then(
      (got) => {
        if (got !== null && chartFont === null) chartFont = { chars: new Set(got.chars), bytes: Promise.resolve(Buffer.from(got.bytes)) };
      },
      () => {},
    );
    await seeding;
    if (seed === load) seed = null;
  }
  const chars = new Set(text);
  const have = chartFont;
  if (have && [...chars].every((c) => have.chars.has(c))) return have.bytes;
  const union = new Set([...(have?.chars ?? []), ...chars]);
  const next = { chars: union, bytes: subsetSource([...union].sort().join('')) };
  chartFont = next;
  grown = true;
  // A failed subset is not kept: the next experiment asks again.
  next.bytes.catch(() => {
    if (chartFont === next) chartFont = have;
  });
  return next.bytes;
}

/** What a kept chart font is cut from: the full font (its size stands for its version) and benchbook's stamp. */
export function chartFontKey(stamp: string): string {
  return sha256(stamp, FONT_MODULE, String(fullFontSize()));
}

function fullFontSize(): number {
  return full?.length ?? statSync(createRequire(import.meta.url).resolve(FONT_MODULE)).size;
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
