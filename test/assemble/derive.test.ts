/** Derive on hand-built experiments: axes, baselines, sweeps, flags, comparability and conclusions. */
import { describe, expect, it } from 'vitest';
import { derive, launchFlags, LENGTH_TOLERANCE, SATURATION_GAIN, SHORT_OUTPUT, SWEEP_MIN_POINTS, THROUGHPUT_TOLERANCE, wilson } from '../../src/assemble/derive.js';
import type { Experiment, Run, ServerLog } from '../../src/model.js';
import { newRun } from '../../src/parse/types.js';
import { loadExperiment } from '../../src/pipeline/load.js';
import { scan } from '../../src/scan/scan.js';
import { artifactsDir } from '../helpers/files.js';

function run(file: string, over: Partial<Run> = {}): Run {
  return { ...newRun(file, 0, 'bench-openai'), label: file.replace(/\.json$/, ''), concurrency: 16, requests: 64, completed: 64, failed: 0, ...over };
}

function experiment(runs: Run[], over: Partial<Experiment> = {}): Experiment {
  return { id: 'x_20250101', date: '2025-01-01', dir: 'x_20250101', config: null, runs, serverLogs: [], environments: [], accuracy: [], unrecognised: [], unpaired: [], notes: {}, ...over };
}

function log(file: string, over: Partial<ServerLog>): ServerLog {
  const base = Object.fromEntries(
    ['vllmVersion', 'engine', 'model', 'servedModelName', 'dtype', 'quantization', 'quantizationRequested', 'kvCacheDtype', 'kvCacheDtypeRequested', 'tensorParallelSize', 'pipelineParallelSize', 'dataParallelSize', 'maxModelLen', 'gpuMemoryUtilization', 'maxNumSeqs', 'maxNumBatchedTokens', 'enforceEager', 'enablePrefixCaching', 'attentionBackend', 'modelLoadGiB', 'modelLoadS', 'availableKvCacheGiB', 'gpuBlocks', 'blockSize', 'kvCacheTokens', 'maxConcurrency', 'cudaGraphCaptureS', 'cudaGraphGiB', 'initEngineS', 'peakPromptTps', 'peakGenerationTps', 'nonDefaultArgs', 'pid', 'line'].map((k) => [k, null]),
  );
  return { ...(base as unknown as ServerLog), file, index: 0, metricLines: 0, findings: [], ...over };
}

describe('derive: comparisons', () => {
  it('compares along GPUs when the GPU count differs, the fewest GPUs as baseline, with scaling efficiency', () => {
    const one = run('bench_1gpu.json', { tags: ['1gpu'], outputTokenThroughput: 100, requestThroughput: 1, latencyMs: { mean: 2000, p50: null, p90: null, p95: null, p99: null, min: null, max: null } });
    const two = run('bench_2gpu.json', { tags: ['2gpu'], outputTokenThroughput: 150, requestThroughput: 1.5, latencyMs: { mean: 1500, p50: null, p90: null, p95: null, p99: null, min: null, max: null } });
    const d = derive(experiment([two, one]));
    const [c] = d.comparisons;
    expect(c?.axis).toBe('gpus');
    expect(c?.baseline.run).toBe(one);
    const r2 = c?.ratios.find((r) => r.facts.run === two);
    expect(r2?.ratios.outputTokenThroughput).toBe(1.5);
    expect(r2?.gpuRatio).toBe(2);
    expect(r2?.scalingEfficiency).toBe(0.75);
    expect(r2?.ratios.latency).toBe(0.75);
    expect(d.conclusions).toContainEqual(expect.objectContaining({ kind: 'scaling', fromLabel: 'bench_1gpu', toLabel: 'bench_2gpu', efficiency: 0.75 }));
  });

  it('says which gaps are within the run-to-run spread of repeated runs, and which are not', () => {
    const runs = [
      run('bench_fp8_run1.json', { label: 'FP8 #1', model: 'm-FP8', outputTokenThroughput: 300 }),
      run('bench_fp8_run2.json', { label: 'FP8 #2', model: 'm-FP8', outputTokenThroughput: 290 }),
      run('bench_int8.json', { label: 'INT8', model: 'm-INT8', outputTokenThroughput: 288 }),
      run('bench_bf16.json', { label: 'BF16', model: 'm', outputTokenThroughput: 200 }),
    ];
    const d = derive(experiment(runs));
    expect(d.comparisons[0]?.spread).toBeCloseTo(10 / 300, 9);
    // FP8's mean 295 vs INT8's 288: 2.4 % apart, within the 3.3 % spread; INT8 vs BF16 is not.
    const within = d.conclusions.find((k) => k.kind === 'within-spread');
    expect(within).toMatchObject({ kind: 'within-spread', pairs: [{ a: 'FP8', b: 'INT8' }] });
    // Without repeats there is no spread and nothing is said of it.
    const plain = derive(experiment([runs[2] as Run, runs[3] as Run]));
    expect(plain.comparisons[0]?.spread).toBeNull();
    expect(plain.conclusions.some((k) => k.kind === 'within-spread')).toBe(false);
  });

  it('without repeats, says two configurations less than 0.5 % apart are the same within what the figures resolve', () => {
    const d = derive(experiment([run('a.json', { model: 'm-FP8', outputTokenThroughput: 300 }), run('b.json', { model: 'm-INT8', outputTokenThroughput: 299 }), run('c.json', { model: 'm', outputTokenThroughput: 200 })]));
    expect(d.conclusions.find((k) => k.kind === 'within-resolution')).toMatchObject({ pairs: [{ a: 'a', b: 'b' }] });
  });

  it('says what a run compared with nothing shows on its own', () => {
    const one = run('bench.json', { outputTokenThroughput: 62.87, requestThroughput: 0.42, concurrency: 5, latencyMs: { mean: 7060, p50: 6990, p90: null, p95: null, p99: null, min: null, max: null }, ttftMs: { mean: 408, p50: 387.7, p90: null, p95: null, p99: null, min: null, max: null } });
    expect(derive(experiment([one])).conclusions).toEqual([{ kind: 'single', label: 'bench', decode: 62.87, qps: 0.42, concurrency: 5, latencyS: 7.06, latencyIsP50: false, ttftP50Ms: 387.7 }]);
  });

  it('compares along precision when the logs say different quantizations, and ranks by decode throughput', () => {
    const fp8 = run('bench_fp8.json', { serverLog: 'vllm_fp8.log', outputTokenThroughput: 300 });
    const bf16 = run('bench_bf16.json', { serverLog: 'vllm_bf16.log', outputTokenThroughput: 200 });
    const exp = experiment([bf16, fp8], { serverLogs: [log('vllm_fp8.log', { quantization: 'fp8' }), log('vllm_bf16.log', { quantization: null })] });
    const d = derive(exp);
    // bf16's log states no quantization and it has no model name: its precision comes from its label.
    expect(d.facts.map((f) => [f.run.label, f.precision, f.precisionSource])).toEqual([
      ['bench_bf16', 'BF16', 'label'],
      ['bench_fp8', 'fp8', 'log'],
    ]);
    expect(d.comparisons[0]?.axis).toBe('precision');
    expect(d.conclusions[0]).toMatchObject({ kind: 'ranking', order: [{ label: 'bench_fp8', value: 300 }, { label: 'bench_bf16', value: 200 }], baselineLabel: 'bench_bf16', bestRatio: 1.5 });
  });

  it('takes an unquantized engine\'s weights for its dtype (quantization=None is null, never "none")', () => {
    const a = run('a.json', { serverLog: 'a.log', model: 'org/m' });
    const d = derive(experiment([a], { serverLogs: [log('a.log', { quantization: null, dtype: 'bfloat16' })] }));
    expect([d.facts[0]?.precision, d.facts[0]?.precisionSource]).toEqual(['BF16', 'log']);
  });

  it('reads a checkpoint format the log names with the precision the model name gives: "FP8 (compressed-tensors)"', () => {
    const a = run('a.json', { serverLog: 'a.log', model: 'RedHatAI/Qwen2.5-VL-72B-Instruct-FP8-dynamic' });
    const b = run('b.json', { serverLog: 'b.log', model: 'nvidia/Qwen3-32B-FP4' });
    const c = run('c.json', { serverLog: 'c.log', model: 'org/m' });
    const logs = [log('a.log', { quantization: 'compressed-tensors', model: a.model }), log('b.log', { quantization: 'modelopt_fp4' }), log('c.log', { quantization: 'fp8' })];
    const d = derive(experiment([a, b, c], { serverLogs: logs }));
    expect(d.facts.map((f) => [f.precision, f.precisionSource])).toEqual([
      ['FP8 (compressed-tensors)', 'log'],
      ['FP4 (modelopt_fp4)', 'log'],
      ['fp8', 'log'],
    ]);
  });

  it('takes the precision from the model name when no log is kept, and the baseline experiment.yaml names', () => {
    const a = run('a.json', { model: 'Qwen/Qwen3-32B-NVFP4', outputTokenThroughput: 1 });
    const b = run('b.json', { model: 'Qwen/Qwen3-32B-FP8', outputTokenThroughput: 2 });
    const d = derive(experiment([a, b], { config: { title: {}, goal: {}, baseline: 'b.json', runs: {}, facts: {}, readme: { charts: null }, slo: null } }));
    expect(d.facts.map((f) => f.precision)).toEqual(['NVFP4', 'FP8']);
    expect(d.comparisons[0]?.baseline.run).toBe(b);
  });

  it(`flags prompt lengths more than ${LENGTH_TOLERANCE * 100} % apart as not comparable, and not those within`, () => {
    const near = derive(experiment([run('a.json', { inputTokensMean: 1000, model: 'm' }), run('b.json', { inputTokensMean: 1000 * (1 + LENGTH_TOLERANCE * 0.9), model: 'm' })]));
    expect(near.comparisons[0]?.differences).toEqual([]);
    const far = derive(experiment([run('a.json', { inputTokensMean: 1000, model: 'm' }), run('b.json', { inputTokensMean: 1000 * (1 + LENGTH_TOLERANCE * 1.2), model: 'm' })]));
    expect(far.comparisons[0]?.differences.map((x) => x.field)).toEqual(['inputTokensMean']);
  });

  it('compares only runs under the same load; a run alone under its load stands alone', () => {
    const d = derive(experiment([run('a.json', { concurrency: 16 }), run('b.json', { concurrency: 16 }), run('c.json', { concurrency: 32 })]));
    expect(d.comparisons).toHaveLength(1);
    expect(d.standalone.map((f) => f.run.label)).toEqual(['c']);
  });
});

describe('derive: sweeps', () => {
  const point = (c: number, qps: number, tps: number, failed = 0) => ({ ...run('sweep.json', { concurrency: c, requestThroughput: qps, outputTokenThroughput: tps, failed }), index: c });

  it(`needs ${SWEEP_MIN_POINTS} concurrency levels of one file, and finds the peak, saturation and first failures`, () => {
    const d = derive(experiment([point(1, 1, 100), point(2, 1.9, 190), point(4, 3.5, 350), point(8, 3.6, 360, 2), point(16, 3.5, 340, 9)]));
    expect(d.comparisons).toEqual([]);
    const [s] = d.sweeps;
    expect(s?.peak.concurrency).toBe(8);
    // 3.6 / 3.5 is below SATURATION_GAIN: saturated from concurrency 4 on.
    expect(3.6 / 3.5).toBeLessThan(SATURATION_GAIN);
    expect(s?.saturation?.concurrency).toBe(4);
    expect(s?.firstFailures?.concurrency).toBe(8);
    expect(d.conclusions.map((k) => k.kind)).toEqual(['sweep-peak', 'sweep-saturation', 'sweep-failures']);
    const two = derive(experiment([point(1, 1, 100), point(2, 2, 200)]));
    expect(two.sweeps).toEqual([]);
  });
});

describe('derive: validity flags', () => {
  it(`flags outputs shorter than ${SHORT_OUTPUT * 100} % of max_tokens, failed requests and an unreached concurrency`, () => {
    const ok = run('ok.json', { maxTokens: 256, outputTokensMean: 256 * SHORT_OUTPUT });
    const short = run('short.json', { maxTokens: 256, outputTokensMean: 256 * SHORT_OUTPUT - 1 });
    const failing = run('failing.json', { requests: 100, completed: 90, failed: 10 });
    const few = run('few.json', { concurrency: 64, requests: 32 });
    const d = derive(experiment([ok, short, failing, few]));
    expect(d.flags.map((f) => [f.run.label, f.code, f.values])).toEqual([
      ['short', 'short-output', { mean: 256 * SHORT_OUTPUT - 1, max: 256 }],
      ['failing', 'failed-requests', { failed: 10, total: 100, recorded: 10, unrecorded: 0 }],
      ['few', 'concurrency-not-reached', { reached: 32, target: 64 }],
    ]);
  });
});

describe('derive: what a summary leaves out or gets wrong', () => {
  it('counts requests a summary did not record as not succeeded (MXC500 "no binding": 426 + 48 recorded of 500)', () => {
    const d = derive(experiment([run('nb.txt', { requests: 500, completed: 426, failed: 48 })]));
    expect(d.flags.map((f) => [f.code, f.values])).toEqual([['failed-requests', { failed: 74, total: 500, recorded: 48, unrecorded: 26 }]]);
  });

  it(`flags a printed output throughput more than ${THROUGHPUT_TOLERANCE * 100} % away from completed × mean output ÷ duration`, () => {
    // 426 × 678.6 / 555.87 = 520.06, printed 538.497 (the MXC500 summary's own figures, rounded).
    const off = derive(experiment([run('nb.txt', { requests: 426, completed: 426, outputTokensMean: 678.6, durationS: 555.87, outputTokenThroughput: 538.497 })]));
    expect(off.flags.map((f) => f.code)).toEqual(['throughput-mismatch']);
    expect(off.flags[0]?.values['recomputed']).toBeCloseTo(520.06, 1);
    const near = derive(experiment([run('ok.txt', { requests: 426, completed: 426, outputTokensMean: 678.6, durationS: 555.87, outputTokenThroughput: 520.07 * (1 + THROUGHPUT_TOLERANCE / 2) })]));
    expect(near.flags).toEqual([]);
  });
});

describe('derive: accuracy', () => {
  const fast = run('fast.json', { label: 'nvfp4', outputTokenThroughput: 400 });
  const slow = run('slow.json', { label: 'bf16', outputTokenThroughput: 200, concurrency: 8 });
  const scores = (nvfp4: number, bf16: number, total = 40) => [
    {
      file: 'acc.json',
      format: 'benchbook-accuracy' as const,
      model: null,
      tasks: [
        { task: 'gsm8k', metric: 'acc', value: nvfp4 / total, stderr: null, correct: nvfp4, total, variant: 'nvfp4' },
        { task: 'gsm8k', metric: 'acc', value: bf16 / total, stderr: null, correct: bf16, total, variant: 'bf16' },
      ],
    },
  ];

  it('gives each score its Wilson 95 % interval', () => {
    const { low, high } = wilson(34, 40);
    expect([low, high].map((x) => Number(x.toFixed(4)))).toEqual([0.7093, 0.9294]);
    expect(wilson(40, 40).high).toBe(1);
    expect(wilson(0, 40).low).toBe(0);
    const d = derive(experiment([fast, slow], { accuracy: scores(34, 35) }));
    expect(d.accuracy.map((a) => [a.variant, a.run?.label, Number(a.low?.toFixed(3)), Number(a.high?.toFixed(3))])).toEqual([
      ['nvfp4', 'nvfp4', 0.709, 0.929],
      ['bf16', 'bf16', 0.739, 0.945],
    ]);
  });

  it('says two scores one or a few questions apart are within the noise, and claims no trade-off', () => {
    const d = derive(experiment([fast, slow], { accuracy: scores(32, 36) }));
    expect(d.conclusions.filter((k) => k.kind.startsWith('accuracy'))).toEqual([
      { kind: 'accuracy-within-noise', task: 'gsm8k', variants: ['nvfp4', 'bf16'], min: 0.8, max: 0.9, minCorrect: 32, maxCorrect: 36, questions: 40 },
    ]);
  });

  it('names the best and worst variant and the speed-for-accuracy trade-off when the gap is beyond chance', () => {
    const d = derive(experiment([fast, slow], { accuracy: scores(20, 36) }));
    expect(d.conclusions.filter((k) => k.kind.startsWith('accuracy'))).toEqual([
      { kind: 'accuracy', task: 'gsm8k', best: [{ variant: 'bf16', value: 0.9 }], worst: [{ variant: 'nvfp4', value: 0.5 }] },
      { kind: 'accuracy-tradeoff', fastest: 'nvfp4', fastestAccuracy: 0.5, bestAccuracy: 0.9, bestVariants: ['bf16'] },
    ]);
  });

  it('the Qwen3-32B sample: the three precisions are within the noise of 40 questions', async () => {
    const scanned = (await scan(artifactsDir)).experiments.find((e) => e.id === 'qwen3_32b_vllm_bench_20251222');
    expect(scanned).toBeDefined();
    const d = derive((await loadExperiment(scanned as NonNullable<typeof scanned>)).experiment);
    expect(d.conclusions.filter((k) => k.kind.startsWith('accuracy'))).toEqual([
      { kind: 'accuracy-within-noise', task: 'custom-40q', variants: ['NVFP4', 'FP8', 'BF16'], min: 0.85, max: 0.875, minCorrect: 34, maxCorrect: 35, questions: 40 },
    ]);
  });
});

describe('derive: setup from everything known', () => {
  it('reads TP, PP, dtype and KV-cache dtype from a launch command when no log was kept, and the vLLM version from the engine fact', () => {
    expect(launchFlags('CUDA_VISIBLE_DEVICES=0,1 vllm serve m --tensor-parallel-size 2 --kv-cache-dtype fp8 --dtype=bfloat16 -pp 1')).toEqual({
      dtype: 'bfloat16',
      kvCacheDtype: 'fp8',
      tensorParallel: 2,
      pipelineParallel: 1,
    });
    expect(launchFlags('vllm serve gpt-oss-120b -tp 2').tensorParallel).toBe(2);
    const r = run('a.json');
    const d = derive(
      experiment([r], {
        config: { title: {}, goal: {}, baseline: null, runs: { 'a.json': { launch: 'vllm serve m -tp 4 --kv-cache-dtype fp8' } }, facts: { engine: 'vLLM 0.13.0 vllm serve' }, readme: { charts: null }, slo: null },
      }),
    );
    expect(d.facts[0]?.setup).toEqual({ model: null, dtype: null, kvCacheDtype: 'fp8', tensorParallel: 4, pipelineParallel: null, vllmVersion: '0.13.0' });
    expect(d.facts[0]?.gpus).toBe(4);
  });
});
