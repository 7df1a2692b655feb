/**
 * The floors `npm run bench` sets each figure against, measured in the same process on the same
 * inputs: what the fixed libraries cost alone, so that a ratio says how near benchbook's own path
 * comes to it, whatever the machine's speed.
 *   charts  the final SVGs rasterised by resvg alone vs spec → SVG → PNG
 *   pages   remark-parse + remark-gfm + remark-rehype + rehype-stringify, built once and frozen, on
 *           the same Markdown vs benchbook's whole page path
 *   logs    a bare scan for line ends over the same bytes vs the build's reading of each log (the
 *           server-log parser and the other text formats over what it leaves)
 */
import { statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import rehypeStringify from 'rehype-stringify';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import remarkRehype from 'remark-rehype';
import { unified } from 'unified';
import type { TopLevelSpec } from 'vega-lite';
import { parseFile } from '../src/parse/index.js';
import { withChartFonts } from '../src/pipeline/fonts.js';
import { FORMAT_CHARS } from '../src/render/charts/draw.js';
import { toPng, toSvg } from '../src/render/charts/render.js';
import { reportPage, type SiteShared } from '../src/render/html/site.js';
import type { SiteEntry } from '../src/products.js';

export interface Floor {
  /** benchbook's path, ms. */
  pathMs: number;
  /** The floor on the same work, ms. */
  floorMs: number;
  items: number;
}

/** Every spec through benchbook's chart path (SVG, then PNG with one font file), then the same SVGs through resvg alone. */
export async function chartFloor(specs: readonly TopLevelSpec[]): Promise<Floor> {
  return withChartFonts(async (fonts) => {
    const font = await fonts.fileFor(JSON.stringify(specs) + FORMAT_CHARS);
    const svgs: string[] = [];
    let t0 = performance.now();
    for (const [i, spec] of specs.entries()) {
      const svg = await toSvg(spec, `c${i}`);
      toPng(svg, font);
      svgs.push(svg);
    }
    const pathMs = performance.now() - t0;
    t0 = performance.now();
    for (const svg of svgs) toPng(svg, font);
    return { pathMs, floorMs: performance.now() - t0, items: specs.length };
  });
}

/** Each report's Markdown as benchbook's site page (layout, links, inline charts), then through the bare unified pipeline. */
export function pageFloor(pages: readonly { entry: SiteEntry; markdown: string }[], shared: SiteShared, svgs: ReadonlyMap<string, string>): Floor {
  const entries = pages.map((p) => p.entry);
  let t0 = performance.now();
  for (const p of pages) reportPage(shared, entries, p.entry, p.markdown, svgs);
  const pathMs = performance.now() - t0;
  const bare = unified().use(remarkParse).use(remarkGfm).use(remarkRehype).use(rehypeStringify).freeze();
  t0 = performance.now();
  for (const p of pages) String(bare.processSync(p.markdown));
  return { pathMs, floorMs: performance.now() - t0, items: pages.length };
}

/** Line ends counted in the file's bytes, read whole as the build reads a log: the least any line reader does. */
async function scanLines(path: string): Promise<number> {
  const bytes = await readFile(path);
  let lines = 0;
  for (let at = bytes.indexOf(10); at !== -1; at = bytes.indexOf(10, at + 1)) lines++;
  return lines;
}

/**
 * The logs through the build's reading of a file (parseFile: the server-log parser, then every
 * other text format over what it left), then through the bare scan; both read each file whole.
 */
export async function logFloor(logs: readonly string[]): Promise<Floor & { lines: number }> {
  let t0 = performance.now();
  for (const log of logs) {
    const read = await parseFile(log, basename(log), statSync(log).size);
    if (!read.parsed.formats.includes('vllm-log')) throw new Error(`${log}: not read as a vLLM log (${read.unrecognised ?? read.parsed.formats.join(', ')})`);
  }
  const pathMs = performance.now() - t0;
  let lines = 0;
  t0 = performance.now();
  for (const log of logs) lines += await scanLines(log);
  return { pathMs, floorMs: performance.now() - t0, items: logs.length, lines };
}

/** Pages in a PDF: its page objects (`/Type /Page`, not `/Pages`). */
export function pdfPages(pdf: Buffer): number {
  return (pdf.toString('latin1').match(/\/Type\s*\/Page(?![s\w])/g) ?? []).length;
}
