/**
 * Generated repositories for the views across experiments: `vllm bench serve` results of one
 * configuration swept over concurrency on several dates and GPUs, with the server log and the
 * GPU capture beside them, as an engineer's artifacts folder holds them.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A `vllm bench serve --save-result` result: 200 requests of 256 output tokens at concurrency `c`. */
export function benchResult(c: number, output: number, tpotMs: number, ttftP99Ms: number, model = 'Qwen/Qwen3-32B-FP8'): string {
  return JSON.stringify({
    // 200 requests of 256 output tokens: the run lasts as long as its throughput says.
    date: '20260301-120000', backend: 'vllm', model_id: model, num_prompts: 200, request_rate: 'inf', max_concurrency: c,
    duration: 51200 / output, completed: 200, total_input_tokens: 204800, total_output_tokens: 51200, request_throughput: (200 * output) / 51200,
    output_throughput: output, total_token_throughput: output * 5,
    mean_ttft_ms: ttftP99Ms / 2, median_ttft_ms: ttftP99Ms / 2.2, p99_ttft_ms: ttftP99Ms,
    mean_tpot_ms: tpotMs, median_tpot_ms: tpotMs, p99_tpot_ms: tpotMs * 1.2,
    mean_itl_ms: tpotMs, median_itl_ms: tpotMs, p99_itl_ms: tpotMs * 2,
    mean_e2el_ms: ttftP99Ms / 2 + tpotMs * 255, median_e2el_ms: ttftP99Ms / 2 + tpotMs * 250, p99_e2el_ms: ttftP99Ms + tpotMs * 300,
  });
}

export function serverLog(version: string, tp = 1): string {
  return [
    `INFO 03-01 10:00:00 [api_server.py:1000] vLLM API server version ${version}`,
    `INFO 03-01 10:00:00 [utils.py:200] non-default args: {'model': 'Qwen/Qwen3-32B-FP8', 'max_model_len': 8192}`,
    `INFO 03-01 10:00:05 [core.py:90] Initializing a V1 LLM engine (v${version}) with config: model='Qwen/Qwen3-32B-FP8', dtype=torch.bfloat16, max_seq_len=8192, tensor_parallel_size=${tp}, pipeline_parallel_size=1, data_parallel_size=1, quantization=fp8, kv_cache_dtype=auto`,
    '',
  ].join('\n');
}

export function gpuCapture(gpu: string, driver: string): string {
  return [
    '+-----------------------------------------------------------------------------------------+',
    `| NVIDIA-SMI ${driver}              Driver Version: ${driver}      CUDA Version: 12.8     |`,
    '+-----------------------------------------------------------------------------------------+',
    '',
    `GPU 0: ${gpu} (UUID: GPU-9f1c2a7e-41d2-8b3a-6e0f-2c4d5e6f7a01)`,
    '',
  ].join('\n');
}

/** (concurrency, output tok/s, mean TPOT ms, p99 TTFT ms) of the base sweep. */
export const SWEEP: readonly [number, number, number, number][] = [[1, 100, 10, 80], [4, 360, 11, 150], [16, 1200, 13.3, 400], [32, 1500, 20, 900], [64, 1400, 45, 3000]];

/** One experiment: the sweep with output throughput × `factor` and latencies ÷ `factor`. */
export function sweepExperiment(artifacts: string, id: string, gpu: string, version: string, driver: string, factor: number, loads: readonly number[] = SWEEP.map(([c]) => c)): void {
  const dir = join(artifacts, id);
  mkdirSync(dir, { recursive: true });
  for (const [c, out, tpot, ttft] of SWEEP) if (loads.includes(c)) writeFileSync(join(dir, `result_c${c}.json`), benchResult(c, out * factor, tpot / factor, ttft / factor));
  writeFileSync(join(dir, 'vllm_serve.log'), serverLog(version));
  writeFileSync(join(dir, 'nvidia_smi.txt'), gpuCapture(gpu, driver));
}

/** One experiment of `outputs.length` runs of one configuration at concurrency 16. */
export function repeatsExperiment(artifacts: string, id: string, outputs: readonly number[], version = '0.12.0', driver = '580.65.06'): void {
  const dir = join(artifacts, id);
  mkdirSync(dir, { recursive: true });
  outputs.forEach((o, i) => writeFileSync(join(dir, `result_c16_run${i + 1}.json`), benchResult(16, o, 13.3, 400)));
  writeFileSync(join(dir, 'vllm_serve.log'), serverLog(version));
  writeFileSync(join(dir, 'nvidia_smi.txt'), gpuCapture('NVIDIA L40S', driver));
}
