/**
 * Charts drawn: Vega-Lite specs → SVG (in turn) → PNG (on libuv's thread pool meanwhile), with one
 * font cut to the characters the charts show. Shared by every experiment's charts and the overview's.
 */
import type { TopLevelSpec } from 'vega-lite';
import { chartPng } from '../../layout.js';
import { svgText, toPng, toPngAsync, toSvg } from './render.js';

/** Characters number formatting may put in a chart that no spec holds (minus sign, micro, ellipsis …). */
export const FORMAT_CHARS = '\u2212\u00b5\u2026\u00d7\u2013\u2014\u00a0%';

/** TrueType files for the PNG charts: one holding at least the characters of `text`, on disk for the rasteriser. */
export interface ChartFonts {
  fileFor(text: string): Promise<string>;
}

export interface ChartToDraw {
  /** images/<…>.<locale>: the PNG goes to `<stem>.png`, the SVG is kept under the stem. */
  stem: string;
  /** What the SVG's ids are renamed to (`<prefix>-1` …), unique among the charts one page inlines. */
  prefix: string;
  spec: TopLevelSpec;
}

export interface DrawnCharts {
  svgs: Record<string, string>;
  /** PNG path → bytes. */
  files: Record<string, Uint8Array>;
  /** Every character the SVGs show. */
  text: string;
}

/**
 * Every chart: each SVG made in turn, each rasterised to PNG meanwhile, one PNG in flight at a time.
 * The PNGs' font is cut, before any SVG exists, to the characters of the specs (titles, labels,
 * data) plus what number formatting may add; should an SVG show any other, the PNGs are made again
 * with a font of the exact set.
 */
export async function drawCharts(charts: readonly ChartToDraw[], fonts: ChartFonts): Promise<DrawnCharts> {
  const out: DrawnCharts = { svgs: {}, files: {}, text: '' };
  if (charts.length === 0) return out;
  const specText = JSON.stringify(charts.map((c) => c.spec)) + FORMAT_CHARS;
  const fontFile = await fonts.fileFor(specText);
  const pngs = new Map<string, Promise<Buffer>>();
  let inFlight: Promise<Buffer> | null = null;
  try {
    for (const chart of charts) {
      const svg = await toSvg(chart.spec, chart.prefix);
      out.svgs[chart.stem] = svg;
      // One PNG in flight at a time: it overlaps the next SVG without piling up buffers.
      if (inFlight) await inFlight;
      inFlight = toPngAsync(svg, fontFile);
      pngs.set(chart.stem, inFlight);
    }
    const done = await Promise.all([...pngs].map(async ([stem, png]) => [stem, await png] as const));
    for (const svg of Object.values(out.svgs)) out.text += svgText(svg);
    const covered = new Set(specText);
    if ([...out.text].some((ch) => !covered.has(ch) && ch.trim() !== '')) {
      const exact = await fonts.fileFor(out.text);
      for (const [stem, svg] of Object.entries(out.svgs)) out.files[chartPng(stem)] = toPng(svg, exact);
    } else for (const [stem, png] of done) out.files[chartPng(stem)] = png;
  } finally {
    await Promise.allSettled(pngs.values()); // none still reading a font file when the caller removes it
  }
  return out;
}
