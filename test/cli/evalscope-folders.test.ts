/**
 * An `evalscope perf` output folder in an experiment: one folder per run (`parallel_<N>_number_<M>/`)
 * with the summary, the percentiles and the arguments as three files. One run per folder, with the
 * model of its arguments and the percentiles of its table; a percentile file without its summary is
 * named, not shown.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';

const tmp = mkdtempSync(join(tmpdir(), 'benchbook-evalscope-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** `benchmark_summary.json` as EvalScope wrote it from 2026-07 (TTFT, TPOT and ITL in ms). */
function summary(parallel: number): Record<string, unknown> {
  return {
    'Test Duration (s)': 60 + parallel,
    'Concurrency': parallel,
    'Request Rate (req/s)': -1.0,
    'Total Requests': parallel * 10,
    'Success Requests': parallel * 10,
    'Failed Requests': 0,
    'Req Throughput (req/s)': 0.5 * parallel,
    'Avg Latency (s)': 6.25,
    'Avg Input Tokens': 1024.0,
    'Output Throughput (tok/s)': 100.5 * parallel,
    'Total Throughput (tok/s)': 300.5 * parallel,
    'Avg TTFT (ms)': 150.25 + parallel,
    'Avg TPOT (ms)': 11.5,
    'Avg ITL (ms)': 11.25,
    'Avg Output Tokens': 512.0,
  };
}

function percentiles(parallel: number): Record<string, unknown>[] {
  return ['min', '50%', '90%', '99%', 'max'].map((p, i) => ({ 'Percentiles': p, 'TTFT (ms)': 100 + parallel + i * 50, 'TPOT (ms)': 11 + i / 4, 'Latency (s)': 6 + i / 8 }));
}

function args(parallel: number): Record<string, unknown> {
  return { model: 'Qwen3-32B-FP8', api: 'openai', url: 'http://127.0.0.1:8000/v1/chat/completions', number: parallel * 10, parallel, rate: -1, max_tokens: 512, stream: true, dataset: 'random' };
}

describe('an evalscope perf output folder', () => {
  const exp = join(tmp, 'artifacts', 'qwen3_evalscope_20260711');
  const out = join(exp, '20260711_101500', 'Qwen3-32B-FP8');
  for (const parallel of [1, 8]) {
    const dir = join(out, `parallel_${parallel}_number_${parallel * 10}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'benchmark_summary.json'), JSON.stringify(summary(parallel), null, 4));
    writeFileSync(join(dir, 'benchmark_percentile.json'), JSON.stringify(percentiles(parallel), null, 4));
    writeFileSync(join(dir, 'benchmark_args.json'), JSON.stringify(args(parallel), null, 4));
  }
  const lone = join(out, 'parallel_16_number_160');
  mkdirSync(lone, { recursive: true });
  writeFileSync(join(lone, 'benchmark_percentile.json'), JSON.stringify(percentiles(16), null, 4));

  it('gives one run per folder, with its arguments and percentiles joined', async () => {
    let text = '';
    const code = await main(['inspect', join(tmp, 'artifacts'), '--json'], { stdout: { write: (s: string) => (text += s) }, stderr: { write: () => undefined } });
    expect(code).toBe(0);
    const model = JSON.parse(text) as { experiments: { runs: Record<string, any>[]; unrecognised: unknown[] }[]; messages: { file: string; rule: string; text: string }[] };
    const runs = model.experiments[0]?.runs ?? [];
    expect(runs.map((r) => r['file'])).toEqual([
      '20260711_101500/Qwen3-32B-FP8/parallel_1_number_10/benchmark_summary.json',
      '20260711_101500/Qwen3-32B-FP8/parallel_8_number_80/benchmark_summary.json',
    ]);
    expect(runs.map((r) => r['label'])).toEqual(['c=1 n=10', 'c=8 n=80']);
    expect(runs.map((r) => r['model'])).toEqual(['Qwen3-32B-FP8', 'Qwen3-32B-FP8']);
    expect(runs.map((r) => r['maxTokens'])).toEqual([512, 512]);
    expect(runs.map((r) => r['outputTokenThroughput'])).toEqual([100.5, 804]);
    // The mean from the summary, the percentiles from their own file; latency from seconds.
    expect(runs[1]?.['ttftMs']).toEqual({ mean: 158.25, p50: 158, p90: 208, p95: null, p99: 258, min: 108, max: 308 });
    expect(runs[1]?.['latencyMs']).toMatchObject({ mean: 6250, p99: 6375, max: 6500 });
    expect(model.experiments[0]?.unrecognised).toEqual([]);
    const alone = model.messages.filter((m) => m.rule === 'part-alone');
    expect(alone).toHaveLength(1);
    expect(alone[0]?.file).toBe('qwen3_evalscope_20260711/20260711_101500/Qwen3-32B-FP8/parallel_16_number_160/benchmark_percentile.json');
    expect(alone[0]?.text).toBe('holds the percentiles of a run whose benchmark_summary.json is not in this folder: not shown');
  });
});

/**
 * A run folder as a public write-up kept it (FA4 TP4/EP4 results, 2026-09-15; 4 × H200): keys of the
 * 2026 summary without "Avg", "Input Throughput (tok/s)" 0.0 in an LLM run, percentile rows from
 * "1%", and arguments saying `"stream": false`.
 */
describe('a non-streamed EvalScope run folder', () => {
  const dir = join(tmp, 'artifacts2', 'llada_evalscope_20260915', 'parallel_16_number_1000');
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'benchmark_summary.json'),
    JSON.stringify({
      'Test Duration (s)': 118.5849, 'Concurrency': 16, 'Request Rate (req/s)': 16.0, 'Total Requests': 1000, 'Success Requests': 1000,
      'Failed Requests': 0, 'Req Throughput (req/s)': 8.4328, 'Avg Latency (s)': 1.8816, 'Avg Input Tokens': 150.351,
      'Output Throughput (tok/s)': 2671.3005, 'Total Throughput (tok/s)': 3939.1765, 'TTFT (ms)': 1881.61, 'TPOT (ms)': 0.0, 'ITL (ms)': 0.0,
      'Avg Output Tokens': 316.776, 'Input Throughput (tok/s)': 0.0,
    }, null, 2),
  );
  writeFileSync(
    join(dir, 'benchmark_percentile.json'),
    JSON.stringify([
      { 'Percentiles': '1%', 'Latency (s)': 0.73, 'TTFT (ms)': 732.57, 'ITL (ms)': null, 'TPOT (ms)': 0.0 },
      { 'Percentiles': '50%', 'Latency (s)': 1.66, 'TTFT (ms)': 1661.49, 'ITL (ms)': null, 'TPOT (ms)': 0.0 },
      { 'Percentiles': '95%', 'Latency (s)': 2.93, 'TTFT (ms)': 2929.55, 'ITL (ms)': null, 'TPOT (ms)': 0.0 },
      { 'Percentiles': '99%', 'Latency (s)': 9.59, 'TTFT (ms)': 9587.56, 'ITL (ms)': null, 'TPOT (ms)': 0.0 },
    ], null, 2),
  );
  writeFileSync(
    join(dir, 'benchmark_args.json'),
    JSON.stringify({ model: 'inclusionAI/LLaDA2.1-mini', model_id: 'LLaDA2.1-mini', api: 'openai', url: 'http://127.0.0.1:8000/v1/chat/completions', number: 1000, parallel: 16, rate: 16.0, max_tokens: 2048, stream: false, dataset: 'line_by_line' }, null, 2),
  );

  it('has no per-token timings, the input throughput of total less output, and the rate and model of its arguments', async () => {
    let text = '';
    await main(['inspect', join(tmp, 'artifacts2'), '--json'], { stdout: { write: (s: string) => (text += s) }, stderr: { write: () => undefined } });
    const run = (JSON.parse(text) as { experiments: { runs: Record<string, any>[] }[] }).experiments[0]?.runs[0];
    expect(run).toMatchObject({ model: 'inclusionAI/LLaDA2.1-mini', streaming: false, concurrency: 16, requestRate: 16, maxTokens: 2048, ttftMs: null, tpotMs: null, itlMs: null });
    expect(run?.['inputTokenThroughput']).toBeCloseTo(3939.1765 - 2671.3005, 4);
    expect(run?.['latencyMs']).toMatchObject({ mean: 1881.6, p50: 1660, p95: 2930, p99: 9590 });
  });
});

