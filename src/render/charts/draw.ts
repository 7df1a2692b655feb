/**
 * Charts drawn: Vega-Lite specs → SVG (in turn) → PNG (on libuv's thread pool meanwhile), with one
 * font cut to the characters the charts show. Shared by every experiment's charts and the overview's.
 */
import type { TopLevelSpec } from 'vega-lite';
import { sha256 } from '../../hash.js';
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
  /** Per stem, the chart's key (chartKey), where charts were drawn with KeptCharts. */
  keys: Record<string, string>;
  /** How many charts were drawn (the others were kept). */
  drawn: number;
}

/**
 * Charts a build drew before, by key: what drawing the same spec under the same name with the same
 * benchbook, templates and config (`stamp`) makes, taken as it is.
 */
export interface KeptCharts {
  stamp: string;
  charts: Readonly<Record<string, { svg: string; png: Uint8Array }>>;
}

/** What a chart's SVG and PNG are made from: the stamp, its spec and the name its ids get. */
export function chartKey(stamp: string, chart: ChartToDraw): string {
  return sha256(stamp, JSON.stringify(chart.spec), chart.prefix);
}

/**
 * Every chart: each SVG made in turn, each rasterised to PNG meanwhile, one PNG in flight at a time.
 * The PNGs' font is cut, before any SVG exists, to the characters of the specs (titles, labels,
 * data) plus what number formatting may add; should an SVG show any other, the PNGs are made again
 * with a font of the exact set. With `kept`, a chart drawn before under the same key is taken from
 * it instead.
 */
export async function drawCharts(all: readonly ChartToDraw[], fonts: ChartFonts, kept: KeptCharts | null = null): Promise<DrawnCharts> {
  const out: DrawnCharts = { svgs: {}, files: {}, text: '', keys: {}, drawn: 0 };
  const charts: ChartToDraw[] = [];
  for (const chart of all) {
    const key = kept ? chartKey(kept.stamp, chart) : null;
    const was = key === null ? undefined : kept?.charts[key];
    if (key !== null) out.keys[chart.stem] = key;
    if (was) {
      out.svgs[chart.stem] = was.svg;
      out.files[chartPng(chart.stem)] = was.png;
      out.text += svgText(was.svg);
    } else charts.push(chart);
  }
  out.drawn = charts.length;
  if (charts.length === 0) return out;
  const specText = JSON.stringify(charts.map((c) => c.spec)) + FORMAT_CHARS;
  const fontFile = await fonts.fileFor(specText);
  const pngs = new Map<string, Promise<Buffer>>();
  let inFlight: Promise<Buffer> | null = null;
  let drawnText = '';
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
    for (const [stem] of done) drawnText += svgText(out.svgs[stem] ?? '');
    out.text += drawnText;
    const covered = new Set(specText);
    if ([...drawnText].some((ch) => !covered.has(ch) && ch.trim() !== '')) {
      const exact = await fonts.fileFor(drawnText);
      for (const [stem] of done) out.files[chartPng(stem)] = toPng(out.svgs[stem] ?? '', exact);
    } else for (const [stem, png] of done) out.files[chartPng(stem)] = png;
  } finally {
    await Promise.allSettled(pngs.values()); // none still reading a font file when the caller removes it
  }
  return out;
}
