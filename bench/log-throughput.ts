/**
 * `npm run bench`: log-parsing throughput and peak memory on a generated vLLM server log.
 *
 * Generates (at run time, in a temp folder) a log of BENCHBOOK_BENCH_LOG_MB megabytes (default
 * 1100) shaped like a long-running V1 server: start-up, then periodic metric lines, access lines
 * and occasional warnings, with the `(APIServer pid=…)` prefixes. Then streams it through the
 * parser and prints MB/s and peak RSS. Targets on 2-core machines: ≥ 300 MB/s, flat memory.
 */
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { readVllmLogFile } from '../src/parse/vllm-log.js';

const targetMB = Number(process.env['BENCHBOOK_BENCH_LOG_MB'] ?? 1100);

const STARTUP = [
  '(APIServer pid=1) INFO 03-18 14:03:56 [api_server.py:1354] vLLM API server version 0.13.0',
  "(APIServer pid=1) INFO 03-18 14:03:56 [utils.py:253] non-default args: {'model_tag': 'org/model-FP8', 'model': 'org/model-FP8', 'max_model_len': 4096, 'gpu_memory_utilization': 0.95, 'kv_cache_dtype': 'fp8', 'max_num_seqs': 32}",
  "(EngineCore_DP0 pid=143) INFO 03-18 14:04:03 [core.py:93] Initializing a V1 LLM engine (v0.13.0) with config: model='org/model-FP8', speculative_config=None, tokenizer='org/model-FP8', dtype=torch.bfloat16, max_seq_len=4096, tensor_parallel_size=1, pipeline_parallel_size=1, quantization=compressed-tensors, enforce_eager=False, kv_cache_dtype=fp8",
  '(EngineCore_DP0 pid=143) INFO 03-18 14:04:13 [cuda.py:351] Using TRITON_ATTN attention backend out of potential backends: (\'TRITON_ATTN\',)',
  '(EngineCore_DP0 pid=143) INFO 03-18 14:05:40 [gpu_model_runner.py:3659] Model loading took 15.2227 GiB memory and 96.106305 seconds',
  '(EngineCore_DP0 pid=143) INFO 03-18 14:05:53 [kv_cache_utils.py:1291] GPU KV cache size: 332,672 tokens',
  '(EngineCore_DP0 pid=143) INFO 03-18 14:05:53 [kv_cache_utils.py:1296] Maximum concurrency for 4,096 tokens per request: 81.22x',
  '(EngineCore_DP0 pid=143) INFO 03-18 14:06:21 [gpu_model_runner.py:4587] Graph capturing finished in 11 secs, took 0.85 GiB',
  '(APIServer pid=1) INFO 03-18 14:06:23 [api_server.py:1428] Starting vLLM API server 0 on http://0.0.0.0:8000',
].join('\n');

function servingChunk(i: number): string {
  const prompt = ((i * 7919) % 9000) / 10;
  const gen = ((i * 104729) % 6000) / 10;
  const lines: string[] = [];
  for (let k = 0; k < 6; k++) lines.push(`(APIServer pid=1) INFO:     172.17.0.1:${60000 + ((i + k) % 5000)} - "POST /v1/chat/completions HTTP/1.1" 200 OK`);
  lines.push(
    `(APIServer pid=1) INFO 03-18 14:${String(10 + (i % 50)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')} [loggers.py:248] Engine 000: Avg prompt throughput: ${prompt.toFixed(1)} tokens/s, Avg generation throughput: ${gen.toFixed(1)} tokens/s, Running: ${i % 33} reqs, Waiting: 0 reqs, GPU KV cache usage: ${(i % 100).toFixed(1)}%, Prefix cache hit rate: 12.5%`,
  );
  if (i % 997 === 0) lines.push('(APIServer pid=1) INFO 03-18 14:09:16 [chat_utils.py:590] Detected the chat template content format to be \'string\'.');
  return lines.join('\n') + '\n';
}

async function generate(path: string, bytes: number): Promise<number> {
  const out = createWriteStream(path);
  let written = 0;
  out.write(STARTUP + '\n');
  for (let i = 0; written < bytes; i++) {
    let batch = '';
    for (let j = 0; j < 200; j++) batch += servingChunk(i * 200 + j);
    written += batch.length;
    if (!out.write(batch)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return (await stat(path)).size;
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'benchbook-bench-'));
  const path = join(dir, 'vllm_big.log');
  try {
    const t0 = performance.now();
    const size = await generate(path, targetMB * 1e6);
    const genS = (performance.now() - t0) / 1000;
    global.gc?.();
    const rssBefore = process.memoryUsage().rss;
    let peak = rssBefore;
    const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    const t1 = performance.now();
    const parsed = await readVllmLogFile(path, 'vllm_big.log');
    const s = (performance.now() - t1) / 1000;
    clearInterval(timer);
    peak = Math.max(peak, process.memoryUsage().rss);
    const log = parsed.serverLogs[0];
    const mb = size / 1e6;
    console.log(`generated log         ${mb.toFixed(0)} MB in ${genS.toFixed(1)} s (not counted)`);
    console.log(`log parsing           ${(mb / s).toFixed(0)} MB/s (${s.toFixed(2)} s for ${mb.toFixed(0)} MB; target >= 300 MB/s)`);
    console.log(`peak RSS while parsing ${(peak / 2 ** 20).toFixed(0)} MiB (${((peak - rssBefore) / 2 ** 20).toFixed(0)} MiB above the ${(rssBefore / 2 ** 20).toFixed(0)} MiB before; flat = independent of log size)`);
    console.log(`engines found         ${parsed.serverLogs.length}; metric lines ${log?.metricLines ?? 0}; peak generation ${log?.peakGenerationTps ?? '–'} tok/s`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
