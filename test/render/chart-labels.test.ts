/**
 * No chart label covers another: every axis's labels, and the value labels over bars and along
 * lines, are laid out apart (level, slanted or upright as they fit, or hidden where they would cover
 * one already placed) in every chart of the sample repository and of a
 * generated one whose comparisons have ten runs with long names and whose trends span many dates.
 * Geometry from the SVG Vega writes (each label's anchor, rotation and offset) and the text-width
 * estimate Vega lays out by, which the first test holds to the chart font as resvg draws it.
 */
import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate } from '../../bench/synthetic.js';
import { renderAll } from '../../src/build.js';
import { FONT_FAMILY, FONT_MODULE } from '../../src/render/charts/font.js';
import { estimateTextWidth } from '../../src/render/charts/text-width.js';
import { artifactsDir } from '../helpers/files.js';

interface Label {
  text: string;
  corners: [number, number][];
  chart: string;
}

const unescape = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');

/** A <text>'s outline in its group's frame: its box at the anchor, offset, rotated, moved. */
function outline(attrs: string, text: string): [number, number][] {
  const size = Number(/font-size="([\d.]+)px"/.exec(attrs)?.[1] ?? 11);
  const anchor = /text-anchor="(\w+)"/.exec(attrs)?.[1] ?? 'start';
  const w = estimateTextWidth(text, size);
  const x0 = anchor === 'end' ? -w : anchor === 'middle' ? -w / 2 : 0;
  // Ascent and descent of the font at `size`, less a pixel each side: touching is not covering.
  let pts: [number, number][] = [
    [x0 + 1, -0.8 * size + 1],
    [x0 + w - 1, -0.8 * size + 1],
    [x0 + w - 1, 0.2 * size - 1],
    [x0 + 1, 0.2 * size - 1],
  ];
  const ops = [...(/transform="([^"]*)"/.exec(attrs)?.[1] ?? '').matchAll(/(translate|rotate)\(([^)]*)\)/g)].reverse();
  for (const [, op, args] of ops) {
    const [a = 0, b = 0] = (args ?? '').split(/[ ,]+/).map(Number);
    if (op === 'translate') pts = pts.map(([x, y]) => [x + a, y + b]);
    else {
      const r = (a * Math.PI) / 180;
      pts = pts.map(([x, y]) => [x * Math.cos(r) - y * Math.sin(r), x * Math.sin(r) + y * Math.cos(r)]);
    }
  }
  return pts;
}

/** Whether two convex outlines overlap (no axis of either separates them). */
function overlap(a: [number, number][], b: [number, number][]): boolean {
  for (const poly of [a, b]) {
    for (let i = 0; i < poly.length; i++) {
      const [x1, y1] = poly[i] as [number, number];
      const [x2, y2] = poly[(i + 1) % poly.length] as [number, number];
      const n = [y2 - y1, x1 - x2] as const;
      const project = (p: [number, number][]) => p.map(([x, y]) => x * n[0] + y * n[1]);
      const pa = project(a);
      const pb = project(b);
      if (Math.max(...pa) <= Math.min(...pb) || Math.max(...pb) <= Math.min(...pa)) return false;
    }
  }
  return true;
}

/** The labels of each axis and of each bar or line chart's value layer, a group per list, from one SVG. */
function labelGroups(svg: string, chart: string): Label[][] {
  const bars = /class="mark-(rect|line) role-mark/.test(svg);
  const groups: Label[][] = [];
  for (const g of svg.matchAll(/<g class="mark-text (role-axis-label|role-mark)[^"]*"[^>]*>(.*?)<\/g>/gs)) {
    if (g[1] === 'role-mark' && !bars) continue;
    const labels: Label[] = [];
    for (const t of (g[2] ?? '').matchAll(/<text([^>]*)>(.*?)<\/text>/gs)) {
      const attrs = t[1] ?? '';
      if (/opacity="0"/.test(attrs)) continue; // dropped by the overlap rule: not drawn
      const text = unescape((t[2] ?? '').replace(/<title>.*?<\/title>/s, ''));
      if (text.trim() === '') continue;
      labels.push({ text, corners: outline(attrs, text), chart });
    }
    groups.push(labels);
  }
  return groups;
}

function svgsOf(outputs: Map<string, Buffer>): [string, string][] {
  const out: [string, string][] = [];
  for (const [path, content] of outputs) {
    if (!/^site\/[^/]+\.html$/.test(path)) continue;
    const html = content.toString('utf8');
    let k = 0;
    for (const m of html.matchAll(/<svg[\s\S]*?<\/svg>/g)) out.push([`${path} #${++k}`, m[0]]);
  }
  return out;
}

const tmp = mkdtempSync(join(tmpdir(), 'benchbook-labels-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let charts: [string, string][] = [];

beforeAll(async () => {
  // Thirty generated experiments, of which the sweeps beyond the first two are left out: ten
  // comparisons of ten runs named by model, and trends over nine dates.
  const generated = join(tmp, 'generated');
  await generate(generated, { experiments: 30, runs: 10, logMB: 1 });
  for (const id of readdirSync(join(generated, 'artifacts'))) if (/^sweep_/.test(id) && !/^sweep_00[01]_/.test(id)) rmSync(join(generated, 'artifacts', id), { recursive: true });
  const sample = join(tmp, 'sample');
  cpSync(artifactsDir, join(sample, 'artifacts'), { recursive: true });
  charts = [...svgsOf((await renderAll(sample)).outputs), ...svgsOf((await renderAll(generated)).outputs)];
}, 120_000);

describe('chart labels', () => {
  it('are measured no narrower than the chart font draws them', () => {
    const fontFile = createRequire(import.meta.url).resolve(FONT_MODULE);
    for (const text of ['Qwen3-32B-quantized.w8a8 #2', 'NVFP4', '2025-04-13', 'RedHatAI/Qwen3-32B-NVFP4', 'MMMWWW%%%', 'iiil.,:;', '≥ 99 % → 2× ±1', '1,840.0', '首 token 时延（毫秒）', 'TP=2 · 2× NVIDIA L40S']) {
      const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="800" height="40"><text x="0" y="20" font-family="${FONT_FAMILY}" font-size="11px">${text.replace(/&/g, '&amp;')}</text></svg>`;
      const box = new Resvg(svg, { font: { fontFiles: [fontFile], loadSystemFonts: false, defaultFontFamily: FONT_FAMILY } }).innerBBox();
      expect(box, text).toBeDefined();
      const estimate = estimateTextWidth(text, 11);
      expect(estimate, text).toBeGreaterThanOrEqual((box?.width ?? Infinity) - 1);
      expect(estimate, text).toBeLessThan((box?.width ?? 0) * 1.4 + 4);
    }
  });

  it('never cover one another, on any axis or over any bars', () => {
    let crowded = 0;
    const covered: string[] = [];
    for (const [chart, svg] of charts) {
      for (const group of labelGroups(svg, chart)) {
        if (group.length >= 8 && /rotate\((270|320)\)/.test(svg)) crowded++;
        for (let i = 0; i < group.length; i++) {
          for (let j = i + 1; j < group.length; j++) {
            const a = group[i] as Label;
            const b = group[j] as Label;
            if (overlap(a.corners, b.corners)) covered.push(`${chart}: "${a.text}" and "${b.text}"`);
          }
        }
      }
    }
    expect(covered.slice(0, 10)).toEqual([]);
    // The generated charts do crowd: the test saw labels that had to be slanted or set upright.
    expect(crowded).toBeGreaterThan(10);
  });
});
