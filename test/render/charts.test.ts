/**
 * Chart dataflows kept per shape draw what the whole spec compiled anew draws: every chart of the
 * sample repository and of a generated one (sweeps, with Pareto and throughput–latency charts), in
 * both locales, drawn from kept dataflows in two orders and afresh, byte for byte.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TopLevelSpec } from 'vega-lite';
import { derive } from '../../src/assemble/derive.js';
import { loadStrings, templatesDirFor } from '../../src/pipeline/context.js';
import { ingest } from '../../src/pipeline/load.js';
import { toSvg } from '../../src/render/charts/render.js';
import { chartsFor } from '../../src/render/charts/specs.js';
import { digitsFor } from '../../src/render/numbers.js';
import { artifactsDir, repoRoot } from '../helpers/files.js';
import { sweepExperiment } from '../helpers/history-repo.js';

const tmp = mkdtempSync(join(tmpdir(), 'benchbook-charts-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function specsOf(artifacts: string): Promise<TopLevelSpec[]> {
  const model = await ingest(artifacts);
  return ['zh', 'en'].flatMap((locale) => {
    const strings = loadStrings(templatesDirFor(repoRoot), locale);
    return model.experiments.flatMap((e) => chartsFor(derive(e), strings, locale, digitsFor(e.runs)).map((c) => c.spec));
  });
}

const shapeOf = (spec: TopLevelSpec) => JSON.stringify({ ...spec, data: null });

let specs: TopLevelSpec[] = [];
beforeAll(async () => {
  const generated = join(tmp, 'artifacts');
  sweepExperiment(generated, 'qwen3_fp8_l40s_20260101', 'NVIDIA L40S', '0.11.0', '570.124.06', 1);
  sweepExperiment(generated, 'qwen3_fp8_l40s_20260201', 'NVIDIA L40S', '0.11.0', '570.124.06', 1.07);
  sweepExperiment(generated, 'qwen3_fp8_h100_20260201', 'NVIDIA H100 80GB HBM3', '0.12.0', '580.65.06', 2.1, [1, 4, 16]);
  specs = [...(await specsOf(artifactsDir)), ...(await specsOf(generated))];
}, 60_000);

describe('chart dataflows kept per shape', () => {
  it('are reused: charts alike but for their figures share one shape', async () => {
    expect(specs.length).toBeGreaterThan(40);
    // One sweep, then it and another at the same levels with other figures (a later day's run).
    const one = join(tmp, 'one');
    const two = join(tmp, 'two');
    sweepExperiment(one, 'qwen3_fp8_l40s_20260101', 'NVIDIA L40S', '0.11.0', '570.124.06', 1);
    sweepExperiment(two, 'qwen3_fp8_l40s_20260101', 'NVIDIA L40S', '0.11.0', '570.124.06', 1);
    sweepExperiment(two, 'qwen3_fp8_l40s_20260201', 'NVIDIA L40S', '0.11.0', '570.124.06', 1.07);
    const first = await specsOf(one);
    const both = await specsOf(two);
    expect(both.length).toBe(2 * first.length);
    // Only the Pareto chart, whose layers carry its points, is a shape of its own: one per locale.
    expect(new Set(both.map(shapeOf)).size - new Set(first.map(shapeOf)).size).toBe(2);
  });

  it('draw every chart as the spec compiled anew does, whatever was drawn from them before', async () => {
    const fresh: string[] = [];
    for (const [i, spec] of specs.entries()) fresh.push(await toSvg(spec, `c${i}`, { fresh: true }));
    const forward: string[] = [];
    for (const [i, spec] of specs.entries()) forward.push(await toSvg(spec, `c${i}`));
    const backward: string[] = new Array(specs.length);
    for (let i = specs.length - 1; i >= 0; i--) backward[i] = await toSvg(specs[i] as TopLevelSpec, `c${i}`);
    const differs = (drawn: string[]) => drawn.flatMap((svg, i) => (svg === fresh[i] ? [] : [i]));
    expect(differs(forward)).toEqual([]);
    expect(differs(backward)).toEqual([]);
  }, 120_000);

  it('draw two charts of one shape at once, each its own', async () => {
    const [a, b] = specs.filter((s, i) => specs.findIndex((t) => shapeOf(t) === shapeOf(s)) !== i).slice(0, 2);
    expect(a && b).toBeTruthy();
    const both = await Promise.all([toSvg(a as TopLevelSpec, 'a'), toSvg(b as TopLevelSpec, 'b')]);
    expect(both).toEqual([await toSvg(a as TopLevelSpec, 'a', { fresh: true }), await toSvg(b as TopLevelSpec, 'b', { fresh: true })]);
  });
});

describe('the PNG charts font, one subset grown over the build', () => {
  it('draws every chart as a subset of just its own characters does', async () => {
    const { writeFileSync } = await import('node:fs');
    const { fontSubset, withChartFonts } = await import('../../src/pipeline/fonts.js');
    const { svgText, toPng } = await import('../../src/render/charts/render.js');
    // Charts of both locales, from every kind in the sample: the grown font holds Chinese and Latin alike.
    const picked = specs.filter((_, i) => i % Math.ceil(specs.length / 10) === 0);
    const svgs = await Promise.all(picked.map((s, i) => toSvg(s, `p${i}`)));
    const own: Buffer[] = [];
    for (const [i, svg] of svgs.entries()) {
      const file = join(tmp, `own-${i}.ttf`);
      writeFileSync(file, await fontSubset(svgText(svg)));
      own.push(toPng(svg, file));
    }
    const grown = await withChartFonts(async (fonts) => {
      const out: Buffer[] = [];
      for (const svg of svgs) out.push(toPng(svg, await fonts.fileFor(svgText(svg))));
      return out;
    });
    expect(grown.map((png, i) => Buffer.compare(png, own[i] as Buffer))).toEqual(grown.map(() => 0));
    expect(new Set(svgs.map(svgText).join('')).size).toBeGreaterThan(new Set(svgText(svgs[0] ?? '')).size);
  }, 120_000);
});
