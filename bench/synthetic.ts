/**
 * A synthetic benchmark repository: `experiments` experiment folders under `artifacts/`, of six
 * kinds in turn (of every ten: four concurrency sweeps, three precision comparisons, then one each
 * of GuideLLM, AIPerf, and SGLang or EvalScope): a sweep is one `vllm bench serve` result per
 * concurrency and one server log; a precision comparison five weight precisions × TP 1/2 with a
 * server log per run; the others the files those tools write (taken from test/fixtures/, where
 * each format's reading is tested) beside a server log. Each has an nvidia-smi capture and an
 * experiment.yaml. Sweeps of one model share keys across experiments, as do the tools' folders, so
 * the build also makes histories, regressions and the overview. Server logs share `logMB`
 * megabytes between them. Figures are made up but plausible (throughput saturating with
 * concurrency; quantized faster).
 */
import { createWriteStream, existsSync } from 'node:fs';
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface SyntheticOptions {
  experiments: number;
  runs: number;
  logMB: number;
}

export interface SyntheticRepo {
  root: string;
  ids: string[];
  logBytes: number;
  logs: string[];
}

const NVIDIA_SMI = `Mon Nov  3 10:00:00 2025
+-----------------------------------------------------------------------------------------+
| NVIDIA-SMI 580.95.05              Driver Version: 580.95.05      CUDA Version: 13.0     |
+-----------------------------------------+------------------------+----------------------+
| GPU  Name                 Persistence-M | Bus-Id          Disp.A | Volatile Uncorr. ECC |
| Fan  Temp   Perf          Pwr:Usage/Cap |           Memory-Usage | GPU-Util  Compute M. |
|                                         |                        |               MIG M. |
|=========================================+========================+======================|
|   0  NVIDIA H100 80GB HBM3          On  |   00000000:18:00.0 Off |                    0 |
| N/A   34C    P0            118W /  700W |   75123MiB /  81559MiB |      0%      Default |
|                                         |                        |             Disabled |
+-----------------------------------------+------------------------+----------------------+
|   1  NVIDIA H100 80GB HBM3          On  |   00000000:2A:00.0 Off |                    0 |
| N/A   33C    P0            117W /  700W |   75123MiB /  81559MiB |      0%      Default |
|                                         |                        |             Disabled |
+-----------------------------------------+------------------------+----------------------+
`;

const PRECISIONS = [
  { tag: 'bf16', model: 'Qwen/Qwen3-32B', quantization: 'None', speed: 1 },
  { tag: 'fp8', model: 'Qwen/Qwen3-32B-FP8', quantization: 'fp8', speed: 1.45 },
  { tag: 'nvfp4', model: 'RedHatAI/Qwen3-32B-NVFP4', quantization: 'compressed-tensors', speed: 1.8 },
  { tag: 'w8a8', model: 'RedHatAI/Qwen3-32B-quantized.w8a8', quantization: 'compressed-tensors', speed: 1.35 },
  { tag: 'awq', model: 'Qwen/Qwen3-32B-AWQ', quantization: 'awq', speed: 1.25 },
];

function startup(model: string, quantization: string, tp: number): string {
  return [
    '(APIServer pid=1) INFO 11-03 10:03:56 [api_server.py:1354] vLLM API server version 0.13.0',
    `(APIServer pid=1) INFO 11-03 10:03:56 [utils.py:253] non-default args: {'model_tag': '${model}', 'model': '${model}', 'max_model_len': 8192, 'tensor_parallel_size': ${tp}, 'gpu_memory_utilization': 0.92}`,
    `(EngineCore_DP0 pid=143) INFO 11-03 10:04:03 [core.py:93] Initializing a V1 LLM engine (v0.13.0) with config: model='${model}', speculative_config=None, tokenizer='${model}', dtype=torch.bfloat16, max_seq_len=8192, tensor_parallel_size=${tp}, pipeline_parallel_size=1, quantization=${quantization}, enforce_eager=False, kv_cache_dtype=auto`,
    '(EngineCore_DP0 pid=143) INFO 11-03 10:05:40 [gpu_model_runner.py:3659] Model loading took 32.1 GiB memory and 61.2 seconds',
    '(EngineCore_DP0 pid=143) INFO 11-03 10:05:53 [kv_cache_utils.py:1291] GPU KV cache size: 412,672 tokens',
    '(EngineCore_DP0 pid=143) INFO 11-03 10:05:53 [kv_cache_utils.py:1296] Maximum concurrency for 8,192 tokens per request: 50.38x',
    '(APIServer pid=1) INFO 11-03 10:06:23 [api_server.py:1428] Starting vLLM API server 0 on http://0.0.0.0:8000',
    '',
  ].join('\n');
}

/** About 1 MB of serving-time lines: access lines and a metric line every few requests. */
function servingBody(): string {
  const lines: string[] = [];
  let size = 0;
  for (let i = 0; size < 1_000_000; i++) {
    for (let k = 0; k < 6; k++) {
      const l = `(APIServer pid=1) INFO:     10.0.0.7:${40000 + ((i * 6 + k) % 20000)} - "POST /v1/completions HTTP/1.1" 200 OK`;
      lines.push(l);
      size += l.length + 1;
    }
    const l = `(APIServer pid=1) INFO 11-03 10:${String(10 + (i % 50)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')} [loggers.py:248] Engine 000: Avg prompt throughput: ${(((i * 7919) % 9000) / 10).toFixed(1)} tokens/s, Avg generation throughput: ${(((i * 104729) % 6000) / 10).toFixed(1)} tokens/s, Running: ${i % 33} reqs, Waiting: 0 reqs, GPU KV cache usage: ${(i % 100).toFixed(1)}%, Prefix cache hit rate: 12.5%`;
    lines.push(l);
    size += l.length + 1;
  }
  return lines.join('\n') + '\n';
}

async function writeLog(path: string, head: string, body: Buffer, bytes: number): Promise<number> {
  const out = createWriteStream(path);
  out.write(head);
  let written = Buffer.byteLength(head);
  while (written < bytes) {
    // Whole lines only: the last piece is cut at a line end.
    let piece = body;
    if (written + body.length > bytes) piece = body.subarray(0, Math.max(1, body.lastIndexOf(10, Math.max(0, bytes - written)) + 1));
    if (!out.write(piece)) await once(out, 'drain');
    written += piece.length;
    if (piece.length < body.length) break;
  }
  out.end();
  await once(out, 'finish');
  return written;
}

function result(model: string, concurrency: number, outputTps: number, seed: number): string {
  const prompts = Math.max(64, concurrency * 4);
  const outputLen = 256;
  const duration = (prompts * outputLen) / outputTps;
  const tpot = (1000 * concurrency) / outputTps;
  const ttft = 40 + concurrency * 3.1 + (seed % 7);
  return JSON.stringify({
    date: '20251103-101500',
    backend: 'vllm',
    model_id: model,
    tokenizer_id: model,
    num_prompts: prompts,
    request_rate: 'inf',
    burstiness: 1.0,
    max_concurrency: concurrency,
    duration,
    completed: prompts,
    failed: 0,
    total_input_tokens: prompts * 1024,
    total_output_tokens: prompts * outputLen,
    request_throughput: prompts / duration,
    output_throughput: outputTps,
    total_token_throughput: (prompts * (1024 + outputLen)) / duration,
    mean_ttft_ms: ttft,
    median_ttft_ms: ttft * 0.97,
    std_ttft_ms: ttft * 0.1,
    p99_ttft_ms: ttft * 1.8,
    mean_tpot_ms: tpot,
    median_tpot_ms: tpot * 0.99,
    std_tpot_ms: tpot * 0.05,
    p99_tpot_ms: tpot * 1.3,
    mean_itl_ms: tpot,
    median_itl_ms: tpot * 0.98,
    std_itl_ms: tpot * 0.2,
    p99_itl_ms: tpot * 2.1,
  });
}

/** The tools' own files, from the fixtures that test their reading (test/fixtures/, beside bench/ or, compiled, beside dist/): folder under test/fixtures/ → files, and where they go. */
const FIXTURES = ['../test/fixtures/', '../../test/fixtures/'].map((up) => fileURLToPath(new URL(up, import.meta.url))).find((dir) => existsSync(dir));
type ToolKind = 'guidellm' | 'aiperf' | 'sglang' | 'evalscope';
/** The model each tool's file names, which its server log then serves. */
const TOOL_MODEL: Record<ToolKind, string> = { guidellm: 'Qwen/Qwen3-8B', aiperf: 'Qwen/Qwen3-8B', sglang: 'Qwen/Qwen3-32B', evalscope: 'Qwen3-32B-FP8' };
const TOOL_FILES: Record<ToolKind, { from: string; to: string }[]> = {
  guidellm: [{ from: 'guidellm-json/v2-config-two-strategies/benchmarks.json', to: 'guidellm/benchmarks.json' }],
  aiperf: [{ from: 'aiperf-json/schema-1.1-future-metric/profile_export_aiperf.json', to: 'aiperf/profile_export_aiperf.json' }],
  sglang: [{ from: 'sglang-bench-json/full-schema/bench_sglang_qwen3_32b.jsonl', to: 'bench_sglang_qwen3_32b.jsonl' }],
  evalscope: [
    { from: 'evalscope-perf-json/summary-1.x-ms-future-key/benchmark_summary.json', to: 'outputs/20251103_101500/Qwen3-32B/parallel_8_number_80/benchmark_summary.json' },
    { from: 'evalscope-perf-percentile-json/columns-0.x-seconds/benchmark_percentile.json', to: 'outputs/20251103_101500/Qwen3-32B/parallel_8_number_80/benchmark_percentile.json' },
    { from: 'evalscope-perf-args-json/args-1.x/benchmark_args.json', to: 'outputs/20251103_101500/Qwen3-32B/parallel_8_number_80/benchmark_args.json' },
  ],
};

type Kind = 'sweep' | 'precision' | ToolKind;

/** The kind of experiment `e`: of every ten, four sweeps, three precision comparisons, one each of the tools (SGLang and EvalScope in turn). */
function kindOf(e: number): Kind {
  const k = e % 10;
  if (k < 4) return 'sweep';
  if (k < 7) return 'precision';
  if (k === 7) return 'guidellm';
  if (k === 8) return 'aiperf';
  return Math.floor(e / 10) % 2 === 0 ? 'sglang' : 'evalscope';
}

export async function generate(root: string, o: SyntheticOptions): Promise<SyntheticRepo> {
  const body = Buffer.from(servingBody());
  const ids: string[] = [];
  const logs: string[] = [];
  let logBytes = 0;
  const perExperiment = (o.logMB * 1e6) / o.experiments;
  for (let e = 0; e < o.experiments; e++) {
    const kind = kindOf(e);
    const day = String(1 + (e % 28)).padStart(2, '0');
    const month = String(1 + (Math.floor(e / 28) % 12)).padStart(2, '0');
    const id = `${kind}_${String(e).padStart(3, '0')}_2025${month}${day}`;
    const dir = join(root, 'artifacts', id);
    await mkdir(dir, { recursive: true });
    ids.push(id);
    await writeFile(join(dir, 'nvidia-smi.txt'), NVIDIA_SMI);
    if (kind === 'sweep') {
      const model = PRECISIONS[e % PRECISIONS.length]?.model ?? 'Qwen/Qwen3-32B';
      await writeFile(
        join(dir, 'experiment.yaml'),
        `title:\n  zh: 并发扫描 ${e}：${model}\n  en: "Concurrency sweep ${e}: ${model}"\nfacts:\n  gpu: NVIDIA H100 80GB HBM3\n  engine: vLLM 0.13.0\n`,
      );
      for (let r = 0; r < o.runs; r++) {
        const c = 2 ** r;
        const tps = (3200 + (e % 9) * 40) * (1 - Math.exp(-c / 24)) + r;
        await writeFile(join(dir, `bench_c${c}.json`), result(model, c, tps, e + r));
      }
      const path = join(dir, 'vllm_server.log');
      logBytes += await writeLog(path, startup(model, 'None', 1), body, perExperiment);
      logs.push(path);
    } else if (kind === 'precision') {
      await writeFile(
        join(dir, 'experiment.yaml'),
        `title:\n  zh: 精度对比 ${e}\n  en: "Precision comparison ${e}"\nfacts:\n  gpu: NVIDIA H100 80GB HBM3\n  engine: vLLM 0.13.0\n`,
      );
      for (let r = 0; r < o.runs; r++) {
        const p = PRECISIONS[r % PRECISIONS.length] ?? PRECISIONS[0];
        if (!p) continue;
        const tp = 1 + (Math.floor(r / PRECISIONS.length) % 2);
        const tag = `${p.tag}_tp${tp}${r >= 2 * PRECISIONS.length ? `_r${r}` : ''}`;
        const tps = (620 + (e % 7) * 11) * p.speed * (tp === 2 ? 1.62 : 1);
        await writeFile(join(dir, `bench_${tag}.json`), result(p.model, 16, tps, e + r));
        const path = join(dir, `vllm_${tag}.log`);
        logBytes += await writeLog(path, startup(p.model, p.quantization, tp), body, perExperiment / o.runs);
        logs.push(path);
      }
    } else {
      await writeFile(
        join(dir, 'experiment.yaml'),
        `title:\n  zh: ${kind} 压测 ${e}\n  en: "${kind} load test ${e}"\nfacts:\n  gpu: NVIDIA H100 80GB HBM3\n  engine: vLLM 0.13.0\n`,
      );
      if (!FIXTURES) throw new Error(`the tools' sample files are read from test/fixtures/, found neither beside ${fileURLToPath(new URL('.', import.meta.url))} nor one folder up`);
      for (const f of TOOL_FILES[kind]) {
        await mkdir(join(dir, f.to, '..'), { recursive: true });
        await copyFile(join(FIXTURES, f.from), join(dir, f.to));
      }
      const path = join(dir, 'vllm_server.log');
      logBytes += await writeLog(path, startup(TOOL_MODEL[kind], 'None', 1), body, perExperiment);
      logs.push(path);
    }
  }
  return { root, ids, logBytes, logs };
}
