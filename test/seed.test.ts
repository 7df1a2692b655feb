// The shipped sample (artifacts/, copied from the seed artifacts): the figures its README lists.
import { describe, expect, it } from 'vitest';
import { ingest } from '../src/pipeline/load.js';
import type { Experiment, Model } from '../src/model.js';
import { artifactsDir } from './helpers/files.js';

const model: Model = await ingest(artifactsDir);
const exp = (id: string): Experiment => {
  const e = model.experiments.find((x) => x.id === id);
  if (!e) throw new Error(`no experiment ${id}`);
  return e;
};

describe('the shipped sample', () => {
  it('has the four seed experiments and the real server log, with dates from their names', () => {
    expect(model.experiments.map((e) => [e.id, e.date])).toEqual([
      ['gb10_qwen2_5_14b_fp8_vllm_serve_20260318', '2026-03-18'],
      ['l40x4_gpt_oss_120b_20251103', '2025-11-03'],
      ['mxc500_qwen2_5_72b_evalscope_20250215', '2025-02-15'],
      ['qwen2_5_vl_72b_fp8_vllm_bench_20251222', '2025-12-22'],
      ['qwen3_32b_vllm_bench_20251222', '2025-12-22'],
    ]);
    expect(model.messages.filter((m) => m.severity !== 'info')).toEqual([]);
    expect(model.experiments.flatMap((e) => e.unrecognised)).toEqual([]);
  });

  it('reproduces Qwen2.5-VL-72B 1 GPU vs 2 GPU decode throughput and ratios', () => {
    const [one, two] = exp('qwen2_5_vl_72b_fp8_vllm_bench_20251222').runs;
    expect(one?.label).toBe('1 GPU (TP=1)');
    expect(one?.outputTokenThroughput).toBeCloseTo(260.3688, 4);
    expect(two?.outputTokenThroughput).toBeCloseTo(348.0055, 4);
    const ratio = (a: number | null | undefined, b: number | null | undefined) => (a ?? NaN) / (b ?? NaN);
    expect(ratio(two?.requestThroughput, one?.requestThroughput)).toBeCloseTo(1.34, 2);
    expect(ratio(two?.outputTokenThroughput, one?.outputTokenThroughput)).toBeCloseTo(1.34, 2);
    expect(ratio(two?.latencyMs?.mean, one?.latencyMs?.mean)).toBeCloseTo(0.75, 2);
    expect(one).toMatchObject({ concurrency: 16, requests: 64, completed: 64, failed: 0, maxTokens: 256, inputTokensMean: 89, outputTokensMean: 256 });
    expect(one?.msPerOutputToken).toBeCloseTo(61.42263358795175, 9);
  });

  it('reproduces Qwen3-32B NVFP4 > FP8 > BF16 decode throughput and the 40-question accuracy', () => {
    const e = exp('qwen3_32b_vllm_bench_20251222');
    const byLabel = Object.fromEntries(e.runs.map((r) => [r.label, r.outputTokenThroughput]));
    expect(byLabel['NVFP4']).toBeCloseTo(606.4682, 3);
    expect(byLabel['FP8']).toBeCloseTo(381.8702, 3);
    expect(byLabel['BF16']).toBeCloseTo(322.0868, 3);
    const nvfp4 = e.runs.find((r) => r.label === 'NVFP4');
    expect(nvfp4?.latencyMs).toEqual({ mean: null, p50: 6757.7, p90: null, p95: 6795, p99: null, min: null, max: null });
    expect(nvfp4?.ttftMs).toBeNull();
    expect(e.accuracy[0]?.tasks.map((t) => [t.variant, t.correct, t.total, t.value])).toEqual([
      ['NVFP4', 34, 40, 0.85],
      ['FP8', 35, 40, 0.875],
      ['BF16', 35, 40, 0.875],
    ]);
  });

  it('reproduces the MXC500 concurrency sweep and the NUMA comparison', () => {
    const e = exp('mxc500_qwen2_5_72b_evalscope_20250215');
    const sweep = e.runs.filter((r) => r.format === 'benchbook-runs');
    expect(sweep.map((r) => r.concurrency)).toEqual([8, 16, 32, 64, 100, 128, 150, 200]);
    expect(sweep.map((r) => r.requestThroughput)).toEqual([0.37, 0.61, 0.89, 1.08, 1.37, 1.44, 1.48, 1.47]);
    expect(sweep.map((r) => (r.latencyMs?.mean ?? 0) / 1000)).toEqual([20.94, 25.73, 35.16, 55.09, 61.88, 67.18, 70.76, 73.5]);
    expect(sweep.map((r) => r.outputTokenThroughput)).toEqual([109.62, 179.37, 260.32, 309.04, 385.08, 383.47, 393.34, 364.43]);
    expect(sweep.map((r) => r.failed)).toEqual([0, 0, 0, 14, 35, 78, 89, 164]);
    const numa = ['no binding', '-N0 -m0', 'nodes 0-3', 'nodes 0,2,4,6'].map((label) => e.runs.find((r) => r.label === label));
    expect(numa.map((r) => [r?.requestThroughput, r?.outputTokenThroughput, r?.concurrency, r?.requests])).toEqual([
      [0.766, 538.497, 100, 500],
      [0.869, 609.616, 100, 500],
      [0.653, 443.555, 100, 500],
      [0.641, 415.901, 100, 500],
    ]);
    const intro = e.runs.find((r) => r.file === 'evalscope_perf_summary_1.txt');
    expect(intro).toMatchObject({ concurrency: 128, requests: 1000, completed: 938, failed: 50, durationS: 630.612, requestThroughput: 1.487 });
    // One response package per request: not streamed, so the "time to first token" it prints (its
    // end-to-end latency) is no TTFT; the latency percentiles stay.
    expect(intro).toMatchObject({ streaming: false, ttftMs: null, tpotMs: null, itlMs: null });
    expect(intro?.latencyMs).toMatchObject({ mean: 65745, p50: 68176.5 });
  });

  it('reads the MXC500 machine captures', () => {
    const e = exp('mxc500_qwen2_5_72b_evalscope_20250215');
    const smi = e.environments.find((x) => x.file === 'mx-smi_5.txt');
    expect(smi).toMatchObject({ kind: 'mx-smi', driverVersion: '2.5.014' });
    expect(smi?.gpus.map((g) => [g.index, g.name, g.memoryTotalMiB, g.memoryUsedMiB])).toEqual([
      [0, 'MXC500', 65536, 60982],
      [1, 'MXC500', 65536, 60534],
      [2, 'MXC500', 65536, 60534],
      [3, 'MXC500', 65536, 60534],
    ]);
    const topo = e.environments.find((x) => x.file === 'mx-smi-topo.txt');
    expect(topo?.links).toHaveLength(12);
    expect(topo?.links.every((l) => l.type === 'MX')).toBe(true);
    expect(topo?.cpuAffinity).toEqual({ GPU0: '0-15', GPU1: '0-15', GPU2: '0-15', GPU3: '0-15' });
    expect(topo?.numaAffinity['GPU3']).toBe('0');
    const numa = e.environments.find((x) => x.file === 'numactl-hardware.txt');
    expect(numa?.numaNodes).toHaveLength(8);
    expect(numa?.numaNodes[0]).toEqual({ node: 0, cpus: '0-15', sizeMB: 64992, freeMB: 4950 });
    expect(numa?.numaNodes[7]).toEqual({ node: 7, cpus: '112-127', sizeMB: 64436, freeMB: 11067 });
  });

  it('reads the L40 gpt-oss run and its machine', () => {
    const e = exp('l40x4_gpt_oss_120b_20251103');
    expect(e.runs).toHaveLength(1);
    expect(e.runs[0]).toMatchObject({
      model: '../models/gpt-oss-120b',
      requests: 1000,
      completed: 1000,
      concurrency: null,
      requestRate: null,
      maxTokens: 128,
      durationS: 92.72,
      totalInputTokens: 1022592,
      totalOutputTokens: 52897,
      requestThroughput: 10.79,
      outputTokenThroughput: 570.52,
      peakOutputTokenThroughput: 1799,
      peakConcurrentRequests: 1000,
      totalTokenThroughput: 11599.66,
      environment: 'nvidia-smi.txt',
    });
    expect(e.runs[0]?.ttftMs).toMatchObject({ mean: 44668.95, p50: 44620.76, p99: 88297.92 });
    const smi = e.environments.find((x) => x.file === 'nvidia-smi.txt');
    expect(smi).toMatchObject({ driverVersion: '570.133.07', cudaVersion: '12.8' });
    expect(smi?.gpus.map((g) => [g.name, g.memoryTotalMiB, g.migMode])).toEqual(Array(4).fill(['NVIDIA L40', 46068, 'N/A']));
    const topo = e.environments.find((x) => x.file === 'nvidia-smi-topo.txt');
    expect(topo?.links).toContainEqual({ from: 'GPU0', to: 'GPU1', type: 'NODE' });
    expect(topo?.links).toContainEqual({ from: 'GPU0', to: 'GPU2', type: 'SYS' });
    expect(topo?.cpuAffinity).toEqual({ GPU0: '0-127,256-383', GPU1: '0-127,256-383', GPU2: '128-255,384-511', GPU3: '128-255,384-511' });
    expect(topo?.numaAffinity).toEqual({ GPU0: '0', GPU1: '0', GPU2: '1', GPU3: '1' });
  });
});
