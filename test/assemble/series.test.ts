/**
 * Runs across experiments (issue: history and regressions): generated repositories of one
 * configuration measured on several dates, on two GPUs.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { gpuCapture } from '../helpers/history-repo.js';

const tmp = mkdtempSync(join(tmpdir(), 'benchbook-series-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A bench_openai.py result: 64 requests of 256 output tokens in `seconds`. */
function bench(seconds: number, p99TtftS: number | null = null): string {
  const decode = (64 * 256) / seconds;
  return JSON.stringify({
    endpoint: 'http://127.0.0.1:8000/v1/chat/completions', model: 'Qwen/Qwen3-32B-FP8', concurrency: 16, requests: 64, max_tokens: 256, temperature: 0, stream: true,
    ok: 64, errors: 0, total_time_s: seconds, qps: 64 / seconds,
    latency_s: { p50: 10.5, p95: 10.9, mean: null, min: null, max: null },
    ttft_s: { p50: 0.2, p95: p99TtftS, mean: null, min: null, max: null },
    token_usage: { prompt_tokens_mean: 1024, completion_tokens_mean: 256 },
    derived: { prompt_tps: (64 * 1024) / seconds, decode_tps: decode, ms_per_output_token: null },
  });
}

function log(version: string): string {
  return [
    `INFO 03-01 10:00:00 [api_server.py:1000] vLLM API server version ${version}`,
    `INFO 03-01 10:00:00 [utils.py:200] non-default args: {'model': 'Qwen/Qwen3-32B-FP8', 'max_model_len': 8192}`,
    `INFO 03-01 10:00:05 [core.py:90] Initializing a V1 LLM engine (v${version}) with config: model='Qwen/Qwen3-32B-FP8', dtype=torch.bfloat16, max_seq_len=8192, tensor_parallel_size=1, pipeline_parallel_size=1, data_parallel_size=1, quantization=fp8, kv_cache_dtype=auto`,
    '',
  ].join('\n');
}

function experiment(root: string, id: string, gpu: string, seconds: number, version: string, driver: string): void {
  const dir = join(root, id);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'bench_fp8_c16.json'), bench(seconds));
  writeFileSync(join(dir, 'vllm_serve.log'), log(version));
  writeFileSync(join(dir, 'nvidia_smi.txt'), gpuCapture(gpu, driver));
}

async function inspect(root: string) {
  let out = '';
  const code = await main(['inspect', root, '--json'], { stdout: { write: (s: string) => (out += s) }, stderr: { write: () => undefined } });
  expect(code).toBe(0);
  return JSON.parse(out) as {
    experiments: { id: string; runs: { keyId: string; key: Record<string, unknown> }[] }[];
    series: { keyId: string; key: Record<string, unknown>; points: { experiment: string; outputTokenThroughput: number }[]; regressions: { metric: string; from: string; to: string; change: number; differences: { what: string; from: string | null; to: string | null }[] }[] }[];
  };
}

describe('series across experiments', () => {
  const root = join(tmp, 'artifacts');
  // One configuration on an L40S on three dates; the last after an upgrade, 10 % slower.
  experiment(root, 'qwen3_fp8_l40s_20260101', 'NVIDIA L40S', 40, '0.11.0', '570.124.06');
  experiment(root, 'qwen3_fp8_l40s_20260201', 'NVIDIA L40S', 40.2, '0.11.0', '570.124.06');
  experiment(root, 'qwen3_fp8_l40s_20260301', 'NVIDIA L40S', 40.2 / 0.9, '0.12.0', '580.65.06');
  // The same model on an H100, twice: a series of its own.
  experiment(root, 'qwen3_fp8_h100_20260115', 'NVIDIA H100 80GB HBM3', 20, '0.11.0', '570.124.06');
  experiment(root, 'qwen3_fp8_h100_20260215', 'NVIDIA H100 80GB HBM3', 20.1, '0.11.0', '570.124.06');

  it('gives every run its configuration key, GPU and all', async () => {
    const model = await inspect(root);
    const run = model.experiments.find((e) => e.id === 'qwen3_fp8_l40s_20260101')?.runs[0];
    expect(run?.key).toEqual({
      model: 'Qwen3-32B-FP8', precision: 'FP8', gpu: 'NVIDIA L40S', gpuCount: 1, tp: 1, pp: 1, dp: 1, engine: 'vllm',
      inputLength: 1000, outputLength: 256, concurrency: 16, requestRate: null, tool: 'bench_openai',
    });
    expect(run?.keyId).toBe('model=Qwen3-32B-FP8 precision=FP8 gpu=NVIDIA L40S gpus=1 tp=1 pp=1 dp=1 engine=vllm in=1000 out=256 c=16 rate=? tool=bench_openai');
  });

  it('puts each GPU in a series of its own, oldest first, and flags exactly the 10 % drop, with what changed', async () => {
    const model = await inspect(root);
    expect(model.series.map((s) => [s.key['gpu'], s.points.map((p) => p.experiment)])).toEqual([
      ['NVIDIA H100 80GB HBM3', ['qwen3_fp8_h100_20260115', 'qwen3_fp8_h100_20260215']],
      ['NVIDIA L40S', ['qwen3_fp8_l40s_20260101', 'qwen3_fp8_l40s_20260201', 'qwen3_fp8_l40s_20260301']],
    ]);
    const l40s = model.series[1];
    expect(l40s?.points.map((p) => Math.round(p.outputTokenThroughput * 100) / 100)).toEqual([409.6, 407.56, 366.81]);
    expect(l40s?.regressions).toHaveLength(1);
    const r = l40s?.regressions[0];
    expect(r).toMatchObject({ metric: 'outputTokenThroughput', from: 'qwen3_fp8_l40s_20260201', to: 'qwen3_fp8_l40s_20260301' });
    expect(r?.change).toBeCloseTo(-0.1, 6);
    expect(r?.differences).toEqual([
      { what: 'engineVersion', from: '0.11.0', to: '0.12.0' },
      { what: 'driver', from: '570.124.06', to: '580.65.06' },
    ]);
    // 0.5 % slower on the H100: within the threshold, no regression.
    expect(model.series[0]?.regressions).toEqual([]);
  });

  it('puts no run of the sample repository in a series: no noise where nothing was measured twice', async () => {
    const model = await inspect(join(process.cwd(), 'artifacts'));
    expect(model.series).toEqual([]);
  });
});

describe('Pareto front of a sweep', () => {
  /** A `vllm bench serve --save-result` result at one concurrency. */
  const result = (c: number, output: number, tpot: number) =>
    JSON.stringify({
      date: '20260301-120000', backend: 'vllm', model_id: 'Qwen/Qwen3-32B-FP8', num_prompts: 200, request_rate: 'inf', max_concurrency: c,
      duration: 60, completed: 200, total_input_tokens: 204800, total_output_tokens: output * 60, request_throughput: 200 / 60,
      output_throughput: output, total_token_throughput: output * 5, mean_ttft_ms: 100, median_ttft_ms: 90, p99_ttft_ms: 300,
      mean_tpot_ms: tpot, median_tpot_ms: tpot, p99_tpot_ms: tpot * 1.2, mean_itl_ms: tpot, median_itl_ms: tpot, p99_itl_ms: tpot * 2,
    });

  it('is the runs no other beats on both tokens/s per GPU and tokens/s per user, as worked out by hand', async () => {
    const root = join(tmp, 'pareto', 'artifacts');
    const dir = join(root, 'qwen3_fp8_sweep_20260301');
    mkdirSync(dir, { recursive: true });
    // (concurrency, output tok/s, mean TPOT ms) on TP=2: per GPU = tok/s ÷ 2, per user = 1000 ÷ TPOT.
    const sweep: [number, number, number][] = [[1, 100, 10], [4, 360, 11], [16, 1200, 13.3], [32, 1000, 12], [64, 1100, 40]];
    for (const [c, out, tpot] of sweep) writeFileSync(join(dir, `result_c${c}.json`), result(c, out, tpot));
    writeFileSync(join(dir, 'vllm_serve.log'), log('0.12.0').replace('tensor_parallel_size=1', 'tensor_parallel_size=2'));
    let text = '';
    await main(['inspect', root, '--json'], { stdout: { write: (s: string) => (text += s) }, stderr: { write: () => undefined } });
    const exp = (JSON.parse(text) as { experiments: { runs: { file: string; concurrency: number }[]; pareto: { file: string; tokPerSecPerGpu: number; tokPerSecPerUser: number; perUserFrom: string; onFront: boolean }[] }[] }).experiments[0];
    const byFile = new Map(exp?.pareto.map((p) => [p.file, p]));
    // By hand: c=64 (550 per GPU, 25 per user) is beaten by c=16 (600, 75.2) on both; the others each lead on one axis.
    expect(sweep.map(([c]) => byFile.get(`result_c${c}.json`)?.onFront)).toEqual([true, true, true, true, false]);
    expect(byFile.get('result_c16.json')).toMatchObject({ tokPerSecPerGpu: 600, perUserFrom: 'tpot' });
    expect(byFile.get('result_c16.json')?.tokPerSecPerUser).toBeCloseTo(1000 / 13.3, 6);
  });
});

describe('an SLO', () => {
  it('is checked per run, and the highest load that meets it is the one a reader finds in the table', async () => {
    const root = join(tmp, 'slo', 'artifacts');
    const dir = join(root, 'qwen3_fp8_slo_20260301');
    mkdirSync(dir, { recursive: true });
    // (concurrency, p99 TTFT ms, p99 TPOT ms): the table a reader looks at.
    const rows: [number, number, number][] = [[8, 300, 20], [16, 800, 28], [32, 1900, 39], [64, 4200, 55], [128, 9000, 80]];
    for (const [c, ttft, tpot] of rows) {
      writeFileSync(join(dir, `result_c${c}.json`), JSON.stringify({
        backend: 'vllm', model_id: 'Qwen/Qwen3-32B-FP8', num_prompts: 200, request_rate: 'inf', max_concurrency: c, duration: 60, completed: 200,
        total_input_tokens: 204800, total_output_tokens: 51200, request_throughput: 3.3, output_throughput: 853, total_token_throughput: 4266,
        mean_ttft_ms: ttft / 2, median_ttft_ms: ttft / 2, p99_ttft_ms: ttft, mean_tpot_ms: tpot / 1.2, median_tpot_ms: tpot / 1.2, p99_tpot_ms: tpot,
      }));
    }
    // MLPerf's interactive limits: p99 TTFT 450 ms, p99 TPOT 40 ms. By the table: c=8 passes, c=16 fails TTFT (800 > 450).
    writeFileSync(join(dir, 'experiment.yaml'), 'slo: mlperf-llama2-70b-interactive\n');
    const json = async () => {
      let text = '';
      await main(['inspect', root, '--json'], { stdout: { write: (s: string) => (text += s) }, stderr: { write: () => undefined } });
      return (JSON.parse(text) as { experiments: { runs: { concurrency: number; slo: { met: boolean; checks: { metric: string; valueMs: number; met: boolean }[] } }[]; sloHighest: { concurrency: number } | null }[] }).experiments[0];
    };
    let exp = await json();
    expect(exp?.runs.map((r) => [r.concurrency, r.slo.met])).toEqual([[8, true], [16, false], [32, false], [64, false], [128, false]]);
    expect(exp?.runs[1]?.slo.checks).toEqual([
      { metric: 'ttft', percentile: 'p99', limitMs: 450, valueMs: 800, met: false },
      { metric: 'tpot', percentile: 'p99', limitMs: 40, valueMs: 28, met: true },
    ]);
    expect(exp?.sloHighest?.concurrency).toBe(8);
    // The server limits (p99 TTFT 2000 ms, TPOT 200 ms): c=32 is the highest that passes (1900 ms; c=64 has 4200).
    writeFileSync(join(dir, 'experiment.yaml'), 'slo: mlperf-llama2-70b\n');
    exp = await json();
    expect(exp?.sloHighest?.concurrency).toBe(32);
  });
});

