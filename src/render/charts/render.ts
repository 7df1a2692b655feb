/**
 * Vega-Lite → SVG (vega, headless) → PNG (resvg, the npm font only): no browser, no system fonts.
 */
import { renderAsync, Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { FONT_FAMILY } from './font.js';
import { estimateTextWidth, LABEL_RANK } from './text-width.js';

let metricsInstalled = false;
function installTextMetrics(): void {
  if (metricsInstalled) return;
  const tm = (vega as unknown as { textMetrics: unknown }).textMetrics as { width: (item: { fontSize?: number }, text: unknown) => number };
  tm.width = (item, text) => estimateTextWidth(text === null || text === undefined ? '' : String(text), item.fontSize ?? 11);
  metricsInstalled = true;
}

/** The name the inline data of a spec takes in the Vega dataflow kept for its shape (see viewOf). */
const DATA = 'benchbook_data';
/** Parsed Vega dataflows kept for reuse, by chart shape (the spec without its data values), oldest first. */
const runtimes = new Map<string, vega.Runtime>();
const KEPT_RUNTIMES = 64;

function newView(runtime: vega.Runtime): vega.View {
  return new vega.View(runtime, { renderer: 'none', logLevel: vega.Error });
}

/**
 * A Vega view of the spec. A chart's shape (encodings, titles, sort orders, config) does not depend
 * on its data values, and the charts of many experiments share a few shapes; so the shape is
 * compiled (Vega-Lite → Vega) and parsed (Vega → dataflow) once, and each chart of it gets a new
 * view of that dataflow with its own values put in. A new view each time, not one view fed new data:
 * a view that drew a chart keeps state (axis ticks, layout) that shows in the next one.
 */
function viewOf(spec: TopLevelSpec, fresh: boolean): vega.View {
  const { data, ...shape } = spec as TopLevelSpec & { data?: { values?: unknown[] } };
  if (fresh || !data || !Array.isArray(data.values) || Object.keys(data).length !== 1) return newView(vega.parse(compile(spec).spec));
  const key = JSON.stringify(shape);
  let runtime = runtimes.get(key);
  if (runtime === undefined) {
    const vg = compile({ ...shape, data: { name: DATA } } as TopLevelSpec).spec;
    if (!vg.data?.some((d) => d.name === DATA)) return newView(vega.parse(compile(spec).spec));
    runtime = vega.parse(vg);
    if (runtimes.size >= KEPT_RUNTIMES) runtimes.delete(runtimes.keys().next().value as string);
    runtimes.set(key, runtime);
  }
  return newView(runtime).data(DATA, data.values);
}

interface SceneItem {
  bounds?: { x1: number; y1: number; x2: number; y2: number };
  opacity?: number;
  datum?: Record<string, unknown>;
  items?: SceneNode[];
}
interface SceneNode {
  marktype?: string;
  role?: string;
  items?: SceneItem[];
}

/**
 * Hides the value labels (text marks, not axes or legends) that would cover a label already
 * placed, in each group of the chart: placed in rank order, then in data order, each kept where it
 * clears those before it by a pixel. A line's labels at close levels, or two series through the same
 * point, otherwise print over one another and read as neither. Hidden ones stay in the SVG at
 * opacity 0, as Vega's own axis-label thinning leaves them. Positions are Vega's, from the text
 * metrics installed above.
 */
function declutter(node: SceneNode): void {
  for (const item of node.items ?? []) {
    const marks = item.items ?? [];
    const labels = marks.filter((m) => m.marktype === 'text' && m.role === 'mark').flatMap((m) => m.items ?? []);
    const rank = (x: SceneItem) => (typeof x.datum?.[LABEL_RANK] === 'number' ? (x.datum[LABEL_RANK] as number) : Infinity);
    const placed: NonNullable<SceneItem['bounds']>[] = [];
    for (const label of labels.map((x, i) => ({ x, i })).sort((a, b) => rank(a.x) - rank(b.x) || a.i - b.i).map((e) => e.x)) {
      const b = label.bounds;
      if (!b || label.opacity === 0 || b.x2 <= b.x1) continue;
      if (placed.some((p) => b.x1 < p.x2 + 1 && p.x1 < b.x2 + 1 && b.y1 < p.y2 + 1 && p.y1 < b.y2 + 1)) label.opacity = 0;
      else placed.push(b);
    }
    for (const m of marks) if (m.marktype === 'group') declutter(m);
  }
}

/**
 * Renders a spec to SVG. Vega numbers clip paths from a process-wide counter; they are renamed
 * `<prefix>-1`, `<prefix>-2` … so the same chart gives the same SVG, and several charts inlined in
 * one page never share an id. `fresh` compiles and parses the whole spec, values inline, keeping
 * nothing: the reference the test holds the kept dataflows to.
 */
export async function toSvg(spec: TopLevelSpec, prefix = 'chart', options: { fresh?: boolean } = {}): Promise<string> {
  installTextMetrics();
  const view = viewOf(spec, options.fresh === true);
  let svg: string;
  try {
    await view.runAsync();
    declutter((view.scenegraph() as unknown as { root: SceneNode }).root);
    svg = await view.toSVG();
  } finally {
    view.finalize();
  }
  const ids = new Map<string, string>();
  for (const m of svg.matchAll(/\sid="([^"]+)"/g)) if (m[1] && !ids.has(m[1])) ids.set(m[1], `${prefix}-${ids.size + 1}`);
  return svg.replace(/(\sid="|url\(#|href="#)([^")]+)/g, (all, lead: string, id: string) => (ids.has(id) ? `${lead}${ids.get(id)}` : all));
}

/** Characters an SVG draws, for the font subset. */
export function svgText(svg: string): string {
  let out = '';
  for (const m of svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)) out += m[1] ?? '';
  return out.replace(/&(lt|gt|amp|quot|#39|apos);/g, (_, e: string) => ({ lt: '<', gt: '>', amp: '&', quot: '"', '#39': "'", apos: "'" })[e] ?? '');
}

function pngOptions(fontFile: string, scale: number) {
  return {
    font: { fontFiles: [fontFile], loadSystemFonts: false, defaultFontFamily: FONT_FAMILY, sansSerifFamily: FONT_FAMILY },
    fitTo: { mode: 'zoom' as const, value: scale },
    background: '#ffffff',
  };
}

/**
 * Rasterises with the given font file only (resvg-js ignores `fontBuffers` here, so the build
 * writes its font subset to a file and passes the path).
 */
export function toPng(svg: string, fontFile: string, scale = 2): Buffer {
  return new Resvg(svg, pngOptions(fontFile, scale)).render().asPng();
}

/** toPng with the rasterising done on libuv's thread pool, so that it overlaps this thread's work. */
export async function toPngAsync(svg: string, fontFile: string, scale = 2): Promise<Buffer> {
  return (await renderAsync(svg, pngOptions(fontFile, scale))).asPng();
}
