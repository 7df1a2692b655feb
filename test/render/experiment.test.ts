/**
 * Rendering a hand-built loaded experiment in memory: no artifacts folder, no parser; templates and
 * words come in as text, the PNG font through the pipeline's font files.
 */
import { describe, expect, it } from 'vitest';
import { derive } from '../../src/assemble/derive.js';
import { chartPng, chartStem, reportPath } from '../../src/layout.js';
import type { LoadedExperiment, Run } from '../../src/model.js';
import { prepare } from '../../src/pipeline/context.js';
import { withChartFonts } from '../../src/pipeline/fonts.js';
import { factsOf } from '../../src/parse/index.js';
import { newRun } from '../../src/parse/types.js';
import { renderExperiment } from '../../src/render/experiment.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixturesDir, parseAt, repoRoot } from '../helpers/files.js';

function run(file: string, gpus: string, tps: number): Run {
  return {
    ...newRun(file, 0, 'bench-openai'),
    label: `fp8-${gpus}`,
    tags: [gpus],
    model: 'Qwen/Qwen3-32B-FP8',
    concurrency: 16,
    requests: 64,
    completed: 64,
    failed: 0,
    requestThroughput: tps / 250,
    outputTokenThroughput: tps,
    inputTokenThroughput: tps * 4,
  };
}

const loaded: LoadedExperiment = {
  experiment: {
    id: 'hand_built_20260101',
    date: '2026-01-01',
    dir: 'hand_built_20260101',
    config: null,
    runs: [run('bench_1gpu.json', '1gpu', 400), run('bench_2gpu.json', '2gpu', 700)],
    serverLogs: [],
    environments: [],
    accuracy: [],
    unrecognised: [],
    unpaired: [],
    notes: { en: 'notes.en.md' },
  },
  messages: [],
  // sha256 of the 10 bytes {"ok": 64}
  raw: {
    'bench_1gpu.json': { text: '{"ok": 64}', lines: 1, bytes: 10, sha256: 'f9e4379fba50c147dba621a83bd4d5bcaddf15d36a689c8ba9c40d989e1b0f94' },
    'bench_2gpu.json': { text: '{"ok": 64}', lines: 1, bytes: 10, sha256: 'f9e4379fba50c147dba621a83bd4d5bcaddf15d36a689c8ba9c40d989e1b0f94' },
  },
  notes: { en: 'Measured by hand on **two** L40S.' },
  formats: { 'bench-openai': factsOf('bench-openai') },
  bytesRead: 20,
};

describe('renderExperiment', () => {
  it('makes reports per locale, PNG charts and the entries, from memory', async () => {
    const ctx = (await prepare(repoRoot)).render;
    const derived = derive(loaded.experiment);
    const r = await withChartFonts((fonts) => renderExperiment(ctx, loaded, derived, 'hand', [], fonts));
    const en = Buffer.from(r.files[reportPath('hand', 'en')] ?? []).toString();
    const zh = Buffer.from(r.files[reportPath('hand', 'zh')] ?? []).toString();
    // No title in experiment.yaml: one made from the model and what the runs compare, per locale.
    expect(en.split('\n')[0]).toBe('# Qwen3-32B-FP8 · GPU count comparison');
    expect(zh.split('\n')[0]).toBe('# Qwen3-32B-FP8 · GPU 数量对比');
    expect(en).toContain('## Comparison: GPU count');
    expect(en).toContain('| fp8-2gpu | 2 | 1.75× |');
    expect(en).toContain('Measured by hand on **two** L40S.');
    expect(en).toContain('ok / total_time_s'); // the format's provenance, from its definition
    expect(zh).toContain('## 对比：GPU 数量');
    expect(zh).not.toContain('Measured by hand'); // notes are per locale
    const throughputPng = chartPng(chartStem('hand', 'throughput', 'en'));
    expect(r.entry.outputs).toContain(throughputPng);
    expect(Buffer.from(r.files[throughputPng] ?? []).subarray(1, 4).toString()).toBe('PNG');
    expect(r.pages.svgs[chartStem('hand', 'scaling', 'zh')]).toMatch(/^<svg/);
    expect(r.entry.site.map((s) => [s.slug, s.locale])).toEqual([
      ['hand', 'zh'],
      ['hand', 'en'],
    ]);
    expect(r.stats.charts).toBe(Object.keys(r.pages.svgs).length);
  }, 60_000);

  it('measures GPU scaling of each model against itself where precision varies too, and says beyond linear as beyond', async () => {
    const nvfp4 = (file: string, gpus: string, tps: number): Run => ({ ...run(file, gpus, tps), label: `nvfp4-${gpus}`, model: 'RedHatAI/Qwen3-32B-NVFP4' });
    const grid: LoadedExperiment = {
      ...loaded,
      experiment: {
        ...loaded.experiment,
        id: 'grid_20260101',
        runs: [run('bench_fp8_1gpu.json', '1gpu', 400), run('bench_fp8_2gpu.json', '2gpu', 900), nvfp4('bench_nvfp4_1gpu.json', '1gpu', 600), nvfp4('bench_nvfp4_2gpu.json', '2gpu', 1200)],
        notes: {},
      },
      raw: {},
      notes: {},
    };
    const derived = derive(grid.experiment);
    expect(derived.comparisons.map((c) => c.axis)).toEqual(['precision']);
    const ctx = (await prepare(repoRoot)).render;
    const r = await withChartFonts((fonts) => renderExperiment(ctx, grid, derived, 'grid', [], fonts));
    const en = Buffer.from(r.files[reportPath('grid', 'en')] ?? []).toString();
    const zh = Buffer.from(r.files[reportPath('grid', 'zh')] ?? []).toString();
    expect(en).toContain('- fp8-2gpu gives 2.25× the output throughput of fp8-1gpu, beyond linear 2×: 113% scaling efficiency.');
    expect(en).toContain('- nvfp4-2gpu gives 2.00× the output throughput of nvfp4-1gpu, linear 2×: 100% scaling efficiency.');
    expect(zh).toContain('- fp8-2gpu 的输出吞吐是 fp8-1gpu 的 2.25×，超过线性的 2×：扩展效率 113%。');
    expect(zh).toContain('- nvfp4-2gpu 的输出吞吐是 nvfp4-1gpu 的 2.00×，与线性的 2× 持平：扩展效率 100%。');
    // Never one model on two GPUs against another on one; no scaling chart drawn across models.
    expect(en).not.toMatch(/nvfp4-2gpu gives [^\n]* of fp8-1gpu/);
    expect(Object.keys(r.pages.svgs).some((k) => k.includes('scaling'))).toBe(false);
  }, 60_000);

  it('cites the source fields of the console the file is: GuideLLM\'s later titled tables, not the 0.2.x columns', async () => {
    const path = join(fixturesDir, 'guidellm-text', 'titled-tables-later-console', 'guidellm_console.txt');
    const text = readFileSync(path, 'utf8');
    const runs = parseAt(path).parsed.runs;
    const titled: LoadedExperiment = {
      ...loaded,
      experiment: { ...loaded.experiment, id: 'titled_20260101', runs, notes: {} },
      raw: { 'guidellm_console.txt': { text, lines: text.split('\n').length, bytes: Buffer.byteLength(text), sha256: '0'.repeat(64) } },
      notes: {},
      formats: { 'guidellm-text': factsOf('guidellm-text') },
    };
    const ctx = (await prepare(repoRoot)).render;
    const r = await withChartFonts((fonts) => renderExperiment(ctx, titled, derive(titled.experiment), 'titled', [], fonts));
    const en = Buffer.from(r.files[reportPath('titled', 'en')] ?? []).toString();
    expect(en).toContain('`"Server Throughput Statistics" "Input Tokens" Per Sec Mean`');
    expect(en).toContain('`"Request Latency Statistics" "Request Latency" Sec Mdn, p95 × 1000`');
    expect(en).not.toContain('Out Tok/sec');
  }, 60_000);
});
