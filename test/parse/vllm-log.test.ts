import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseContent, parseFile, readAndParse } from '../../src/parse/index.js';
import { parseVllmLogBytes, parseVllmLogText, readVllmLogFile } from '../../src/parse/vllm-log.js';
import { parseString } from '../helpers/files.js';

/** Runs `use` on `text` written to a file named `name` in a temporary folder, removed afterwards. */
async function withFile<T>(name: string, text: string, use: (path: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'benchbook-log-'));
  try {
    const path = join(dir, name);
    writeFileSync(path, text);
    return await use(path);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const v1 = (lines: string[]) => lines.join('\n') + '\n';

const SERVE = [
  '(APIServer pid=7) INFO 01-02 10:00:00 [api_server.py:1000] vLLM API server version 0.12.0',
  "(APIServer pid=7) INFO 01-02 10:00:00 [utils.py:200] non-default args: {'model_tag': 'org/m-FP8', 'model': 'org/m-FP8', 'max_model_len': 8192, 'gpu_memory_utilization': 0.95, 'max_num_seqs': 32, 'quantization': 'fp8', 'kv_cache_dtype': 'fp8', 'tensor_parallel_size': 2}",
  "(EngineCore_DP0 pid=20) INFO 01-02 10:00:05 [core.py:90] Initializing a V1 LLM engine (v0.12.0) with config: model='org/m-FP8', speculative_config=None, tokenizer='org/m-FP8', dtype=torch.bfloat16, max_seq_len=8192, tensor_parallel_size=2, pipeline_parallel_size=1, quantization=compressed-tensors, enforce_eager=False, kv_cache_dtype=fp8, served_model_name=org/m-FP8, compilation_config={'level': None, 'mode': <CompilationMode.VLLM_COMPILE: 3>, 'cudagraph_mode': <CUDAGraphMode.FULL_AND_PIECEWISE: (2, 1)>}",
  '(VllmWorker TP0 pid=31) INFO 01-02 10:00:09 [cuda.py:300] Using TRITON_ATTN attention backend out of potential backends: (\'TRITON_ATTN\',)',
  '(VllmWorker TP0 pid=31) INFO 01-02 10:01:00 [gpu_model_runner.py:3000] Model loading took 36.5000 GiB memory and 50.500000 seconds',
  '(VllmWorker TP1 pid=32) INFO 01-02 10:01:00 [gpu_model_runner.py:3000] Model loading took 36.5000 GiB memory and 51.000000 seconds',
  '(EngineCore_DP0 pid=20) INFO 01-02 10:01:20 [kv_cache_utils.py:1000] GPU KV cache size: 1,234,567 tokens',
  '(EngineCore_DP0 pid=20) INFO 01-02 10:01:20 [kv_cache_utils.py:1001] Maximum concurrency for 8,192 tokens per request: 150.70x',
];

describe('vLLM server log', () => {
  it('reads the engine config, the user request beside it, and worker lines of a TP=2 engine', () => {
    const { parsed } = parseString(v1(SERVE), 'vllm_fp8.log');
    expect(parsed.serverLogs).toHaveLength(1);
    expect(parsed.serverLogs[0]).toMatchObject({
      pid: 20,
      vllmVersion: '0.12.0',
      engine: 'v1',
      quantization: 'compressed-tensors',
      quantizationRequested: 'fp8',
      kvCacheDtype: 'fp8',
      kvCacheDtypeRequested: 'fp8',
      dtype: 'bfloat16',
      tensorParallelSize: 2,
      maxNumSeqs: 32,
      gpuMemoryUtilization: 0.95,
      attentionBackend: 'TRITON_ATTN',
      modelLoadGiB: 36.5,
      modelLoadS: 50.5,
      kvCacheTokens: 1234567,
      maxConcurrency: 150.7,
    });
  });

  it('strips Docker timestamps, kubectl prefixes and ANSI colours', () => {
    const wrapped = SERVE.map((l, i) =>
      i % 2 === 0 ? `2026-01-02T10:00:0${i}.123456789Z ${l}` : `[pod/vllm-0/vllm] \x1b[32m${l.replace(') INFO', ') \x1b[1mINFO\x1b[0m')}`,
    );
    const { parsed } = parseString(wrapped.join('\r\n'), 'wrapped.log');
    expect(parsed.serverLogs[0]).toMatchObject({ quantization: 'compressed-tensors', kvCacheTokens: 1234567, maxConcurrency: 150.7 });
  });

  it('reports an OOM during CUDA graph capture with its phase, then the retry as a second engine', () => {
    const lines = [
      ...SERVE,
      '(EngineCore_DP0 pid=20) ERROR 01-02 10:01:30 [core.py:700] EngineCore failed to start.',
      '(EngineCore_DP0 pid=20) ERROR 01-02 10:01:30 [core.py:700] torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB.',
      'RuntimeError: Engine core initialization failed. See root cause above.',
      '(APIServer pid=8) INFO 01-02 10:05:00 [api_server.py:1000] vLLM API server version 0.12.0',
      "(EngineCore_DP0 pid=40) INFO 01-02 10:05:05 [core.py:90] Initializing a V1 LLM engine (v0.12.0) with config: model='org/m-FP8', dtype=torch.bfloat16, max_seq_len=8192, quantization=compressed-tensors, kv_cache_dtype=auto",
      '(APIServer pid=8) INFO 01-02 10:06:00 [loggers.py:200] Engine 000: Avg prompt throughput: 1,000.0 tokens/s, Avg generation throughput: 250.5 tokens/s, Running: 16 reqs, Waiting: 0 reqs, GPU KV cache usage: 5.0%, Prefix cache hit rate: 0.0%',
      '(APIServer pid=8) INFO 01-02 10:06:10 [loggers.py:200] Engine 000: Avg prompt throughput: 10.0 tokens/s, Avg generation throughput: 900.0 tokens/s, Running: 16 reqs, Waiting: 0 reqs GPU KV cache usage: 9.0%.',
    ];
    const { parsed } = parseString(v1(lines), 'vllm_2gpu.log');
    expect(parsed.serverLogs.map((l) => l.pid)).toEqual([20, 40]);
    const [failed, retry] = parsed.serverLogs;
    expect(failed?.findings.map((f) => [f.code, f.line, f.phase ?? null])).toEqual([
      ['engine-start-failed', 9, null],
      ['cuda-oom', 10, 'cuda-graphs'],
      ['error', 10, null],
    ]);
    expect(retry?.findings).toEqual([]);
    expect(retry?.quantizationRequested).toBeNull(); // a new server start forgets the old arguments
    expect(retry).toMatchObject({ metricLines: 2, peakPromptTps: 1000, peakGenerationTps: 900 });
  });

  it('counts V0 preemptions into one finding and flags a KV cache smaller than one request', () => {
    const lines = [
      'INFO 05-01 12:00:00 llm_engine.py:170] Initializing an LLM engine (v0.5.0) with config: model=\'m\', dtype=torch.float16, max_seq_len=32768, quantization=None, kv_cache_dtype=auto',
      'INFO 05-01 12:00:10 gpu_executor.py:100] # GPU blocks: 1000, # CPU blocks: 500',
      'WARNING 05-01 12:01:00 scheduler.py:1000] Sequence group 5 is preempted by PreemptionMode.RECOMPUTE mode because there is not enough KV cache space.',
      'WARNING 05-01 12:01:05 scheduler.py:1000] Sequence group 9 is preempted by PreemptionMode.RECOMPUTE mode because there is not enough KV cache space.',
    ];
    const { parsed } = parseString(v1(lines), 'v0.log');
    const log = parsed.serverLogs[0];
    expect(log).toMatchObject({ engine: 'v0', quantization: null, kvCacheTokens: 16000, blockSize: 16 });
    expect(log?.findings.map((f) => [f.code, f.severity, f.line])).toEqual([
      ['kv-cache-too-small', 'warning', 2],
      ['preemption', 'warning', 3],
    ]);
    expect(log?.findings[1]?.text).toMatch(/^2 preemption warnings/);
  });

  it('reads the V0 error vLLM raises when max_model_len does not fit the KV cache', () => {
    const lines = [
      "INFO 05-01 12:00:00 llm_engine.py:170] Initializing an LLM engine (v0.6.0) with config: model='m', max_seq_len=131072",
      "ValueError: The model's max seq len (131072) is larger than the maximum number of tokens that can be stored in KV cache (41152). Try increasing `gpu_memory_utilization` or decreasing `max_model_len` when initializing the engine.",
    ];
    const log = parseVllmLogText(v1(lines), 'x.log').serverLogs[0];
    expect(log?.findings.map((f) => [f.code, f.severity])).toEqual([
      ['error', 'error'],
      ['kv-cache-too-small', 'error'],
    ]);
  });

  it('is not fooled by a load generator that prints vLLM lines of its own', () => {
    const text =
      'INFO 11-03 16:49:51 [__init__.py:216] Automatically detected platform cuda.\n' +
      "Namespace(subparser='bench', bench_type='serve', model='m', num_prompts=10, max_concurrency=None, request_rate=inf)\n";
    const result = parseString(text, 'client.txt');
    expect(result.parsed.serverLogs).toEqual([]);
    expect(result.unrecognised).toMatch(/no known format/);
  });
});

describe('streaming a large log', () => {
  it('reads the same as in memory across chunk boundaries, CRLF and all', async () => {
    const lines = [...SERVE];
    for (let i = 0; i < 30000; i++) {
      lines.push(`(APIServer pid=7) INFO:     10.0.0.1:${i} - "POST /v1/completions HTTP/1.1" 200 OK`);
      if (i % 3 === 0) {
        lines.push(
          `(APIServer pid=7) INFO 01-02 10:06:00 [loggers.py:200] Engine 000: Avg prompt throughput: ${(i % 977) / 10} tokens/s, Avg generation throughput: ${(i % 1231) / 10} tokens/s, Running: 1 reqs, Waiting: 0 reqs`,
        );
      }
    }
    lines.push('(EngineCore_DP0 pid=20) WARNING 01-02 11:00:00 [scheduler.py:1] Sequence group 1 is preempted by PreemptionMode.RECOMPUTE mode.');
    const text = lines.join('\r\n') + '\r\n';
    expect(text.length).toBeGreaterThan(2 << 20);
    const streamed = await withFile('big.log', text, (path) => readVllmLogFile(path, 'big.log'));
    const inMemory = parseVllmLogText(text, 'big.log');
    expect(streamed).toEqual(inMemory);
    expect(streamed.serverLogs[0]).toMatchObject({ metricLines: 10000, peakPromptTps: 97.6, peakGenerationTps: 123 });
    expect(streamed.serverLogs[0]?.findings).toEqual([expect.objectContaining({ code: 'preemption', line: 40009 })]);
  });
});

describe('a server log of a few megabytes, as the build reads it', () => {
  it('is streamed, and reads as it does in memory: HTTP/2 access lines, a URL in prose, metrics lines of two wrappers', async () => {
    const lines = [...SERVE, '(APIServer pid=7) INFO 01-02 10:05:59 [api_server.py:1] See HTTP/ docs at https://example.com/HTTP/2 for "HTTP/3" support'];
    for (let i = 0; i < 12000; i++) {
      lines.push(`(APIServer pid=7) INFO:     10.0.0.1:${i} - "POST /v1/completions ${i % 2 === 0 ? 'HTTP/1.1' : 'HTTP/2'}" 200 OK`);
      if (i % 4 === 0) {
        const who = i % 8 === 0 ? '(APIServer pid=7)' : '(EngineCore_DP0 pid=12345)';
        lines.push(`${who} INFO 01-02 10:06:00 [loggers.py:200] Engine 000: Avg prompt throughput: ${(i % 977) / 10} tokens/s, Avg generation throughput: ${(i % 1231) / 10} tokens/s, Running: 1 reqs, Waiting: 0 reqs, Prefix cache hit rate: ${i % 100}.0%`);
      }
    }
    const text = lines.join('\n') + '\n';
    expect(text.length).toBeGreaterThan(1 << 20);
    const read = await withFile('server.log', text, (path) => readAndParse(path, 'server.log', Buffer.byteLength(text)));
    expect(read.bytes).toBeNull(); // streamed, not read whole
    const inMemory = parseContent(Buffer.from(text), 'server.log');
    expect(read.result).toEqual(inMemory);
    const log = inMemory.parsed.serverLogs[0];
    expect(log).toMatchObject({ metricLines: 3000, peakPromptTps: 97.6, peakGenerationTps: 123 });
    expect(log?.prefixCacheHitRate).toEqual({ last: 96, min: 0, max: 96, lines: 3000 });
    // Every access line is one, of either protocol (none left for the other parsers); the prose line mentioning HTTP/ is not.
    const { rest } = parseVllmLogBytes(Buffer.from(text), 'server.log');
    expect(rest).not.toContain('POST /v1/completions');
    expect(rest).toContain('See HTTP/ docs');
  });
});

describe('a long log that holds more than the log', () => {
  it('gives the other parsers its other lines at their own line numbers, in memory and streamed alike', async () => {
    const access = (i: number) => `(APIServer pid=7) INFO:     10.0.0.1:${i} - "POST /v1/completions HTTP/1.1" 200 OK`;
    const lines = [...SERVE];
    for (let i = 0; i < 3000; i++) lines.push(access(i));
    const blockAt = lines.length + 1;
    lines.push(
      '============ Serving Benchmark Result ============',
      'Successful requests:                     100',
      'Benchmark duration (s):                  n/a',
      'Total input tokens:                      10000',
      'Total generated tokens:                  5000',
      'Request throughput (req/s):              10.00',
      'Output token throughput (tok/s):         500.00',
      '==================================================',
    );
    for (let i = 0; i < 3000; i++) lines.push(access(i));
    const text = lines.join('\n') + '\n';
    expect(text.length).toBeGreaterThan(256 << 10);
    const inMemory = parseContent(Buffer.from(text), 'serve_and_bench.log');
    const streamed = await withFile('serve_and_bench.log', text, (path) => parseFile(path, 'serve_and_bench.log', Buffer.byteLength(text)));
    expect(streamed).toEqual(inMemory);
    const { parsed, unrecognised } = inMemory;
    expect(unrecognised).toBeNull();
    expect(parsed.serverLogs).toHaveLength(1);
    expect(parsed.runs.map((r) => [r.completed, r.outputTokenThroughput, r.line])).toEqual([[100, 500, blockAt]]);
    // The block's unreadable duration is reported at its line in the file, not in the rest.
    expect(parsed.messages).toContainEqual(expect.objectContaining({ rule: 'bad-number', line: blockAt + 2 }));
  });
});

describe('a line too long to be a log line', () => {
  it('is cut short and the lines after it keep their numbers', () => {
    const lines = [
      SERVE[2] as string,
      'x'.repeat(17 << 20),
      '(EngineCore_DP0 pid=20) WARNING 01-02 11:00:00 [scheduler.py:1] Sequence group 1 is preempted by PreemptionMode.RECOMPUTE mode.',
    ];
    const text = lines.join('\n') + '\n';
    const log = parseVllmLogText(text, 'long.log').serverLogs[0];
    expect(log?.findings.map((f) => [f.code, f.line])).toEqual([['preemption', 3]]);
  });

  it('streamed, spanning many chunks, is skipped to its end and counted as one line', async () => {
    const lines = [
      SERVE[2] as string,
      'x'.repeat(17 << 20),
      '(EngineCore_DP0 pid=20) WARNING 01-02 11:00:00 [scheduler.py:1] Sequence group 1 is preempted by PreemptionMode.RECOMPUTE mode.',
    ];
    const log = (await withFile('long.log', lines.join('\n') + '\n', (path) => readVllmLogFile(path, 'long.log'))).serverLogs[0];
    expect(log?.findings.map((f) => [f.code, f.line])).toEqual([['preemption', 3]]);
  });
});

describe('newer log lines', () => {
  const engine = SERVE.slice(0, 3);
  it('reads the init time with its compilation share (2026 wording), and torch.compile\'s own total', () => {
    const a = parseVllmLogText(v1([...engine, '(EngineCore_DP0 pid=20) INFO 04-21 21:29:14 [core.py:262] init engine (profile, create kv cache, warmup model) took 76.40 s (compilation: 9.18 s)']), 'a.log');
    expect(a.serverLogs[0]).toMatchObject({ initEngineS: 76.4, torchCompileS: 9.18 });
    const b = parseVllmLogText(
      v1([
        ...engine,
        '(EngineCore_DP0 pid=20) INFO 06-02 11:03:17 [monitor.py:33] torch.compile takes 45.81 s in total',
        '(EngineCore_DP0 pid=20) INFO 06-02 11:03:55 [core.py:167] init engine (profile, create kv cache, warmup model) took 90.84 seconds',
      ]),
      'b.log',
    );
    expect(b.serverLogs[0]).toMatchObject({ initEngineS: 90.84, torchCompileS: 45.81 });
  });

  it("reads a platform plugin's logger lines: its name first, the full date with comma milliseconds (vllm-rbln)", () => {
    const r = parseVllmLogText(
      v1([
        'INFO 10-07 21:56:27 [__init__.py:217] Platform plugin rbln is activated',
        '(APIServer pid=14521) [vllm-rbln] INFO 2026-10-07 21:56:32,186 [api_server.py:1351] vLLM API server version 0.13.0',
        "(APIServer pid=14521) [vllm-rbln] INFO 2026-10-07 21:56:32,189 [utils.py:253] non-default args: {'model_tag': './rbln-Llama-3.2-1B-Instruct/', 'model': './rbln-Llama-3.2-1B-Instruct/', 'max_num_seqs': 4}",
        '(APIServer pid=14521) [vllm-rbln] INFO 2026-10-07 21:56:32,195 [model.py:1661] Using max model len 131072',
        '(APIServer pid=14521) [vllm-rbln] INFO 2026-10-07 22:01:17,796 [loggers.py:248] Engine 000: Avg prompt throughput: 4.1 tokens/s, Avg generation throughput: 6.2 tokens/s, Running: 0 reqs, Waiting: 0 reqs, GPU KV cache usage: 0.0%, Prefix cache hit rate: 0.0%',
      ]),
      'rbln.log',
    );
    expect(r.serverLogs).toHaveLength(1);
    expect(r.serverLogs[0]).toMatchObject({ vllmVersion: '0.13.0', model: './rbln-Llama-3.2-1B-Instruct/', maxModelLen: 131072, peakPromptTps: 4.1, peakGenerationTps: 6.2 });
  });

  it('reads the generation-config override in its vLLM 0.20 wording, the values in the warning', () => {
    const line = "(APIServer pid=1) WARNING 05-01 19:03:14 [model.py:1437] Default vLLM sampling parameters have been overridden by the model's `generation_config.json`: `{'temperature': 1.0, 'top_k': 20, 'top_p': 0.95}`. If this is not intended, please relaunch vLLM instance with `--generation-config vllm`.";
    const r = parseVllmLogText(v1([...engine, line]), 'g.log');
    expect(r.serverLogs[0]?.findings).toEqual([expect.objectContaining({ code: 'generation-config', severity: 'warning', text: expect.stringContaining("{'temperature': 1.0, 'top_k': 20, 'top_p': 0.95}") })]);
  });

  it('sums speculative decoding over its intervals: accepted ÷ drafted, not the mean of the rates', () => {
    const spec = (acc: number, dr: number, rate: string) =>
      `(APIServer pid=7) INFO 01-02 10:05:00 [metrics.py:125] SpecDecoding metrics: Mean acceptance length: 2.00, Accepted throughput: 1.00 tokens/s, Drafted throughput: 2.00 tokens/s, Accepted: ${acc} tokens, Drafted: ${dr} tokens, Per-position acceptance rate: 0.500, Avg Draft acceptance rate: ${rate}%`;
    const r = parseVllmLogText(v1([...engine, spec(10, 100, '10.0'), spec(90, 100, '90.0')]), 's.log');
    // (10 + 90) / (100 + 100) = 50 %; the mean of the logged rates would be 50 % too, so a third interval tells them apart.
    expect(r.serverLogs[0]?.specDecoding).toMatchObject({ accepted: 100, drafted: 200, acceptanceRate: 0.5, lines: 2 });
    const r3 = parseVllmLogText(v1([...engine, spec(10, 100, '10.0'), spec(90, 100, '90.0'), spec(300, 300, '100.0')]), 's.log');
    expect(r3.serverLogs[0]?.specDecoding?.acceptanceRate).toBe(0.8);
    expect(r3.serverLogs[0]?.findings.map((f) => f.code)).toEqual(['spec-decoding']);
  });

  it('says a prefix-cache hit rate only where the cache hit, with its range', () => {
    const metrics = (hit: string) => `(APIServer pid=7) INFO 01-02 10:05:00 [loggers.py:257] Engine 000: Avg prompt throughput: 100.0 tokens/s, Avg generation throughput: 50.0 tokens/s, Running: 1 reqs, Waiting: 0 reqs, GPU KV cache usage: 1.0%, Prefix cache hit rate: ${hit}%`;
    const cold = parseVllmLogText(v1([...engine, metrics('0.0'), metrics('0.0')]), 'c.log');
    expect(cold.serverLogs[0]?.prefixCacheHitRate).toEqual({ last: 0, min: 0, max: 0, lines: 2 });
    expect(cold.serverLogs[0]?.findings).toEqual([]);
    const warm = parseVllmLogText(v1([...engine, metrics('0.0'), metrics('62.5'), metrics('48.0')]), 'w.log');
    expect(warm.serverLogs[0]?.prefixCacheHitRate).toEqual({ last: 48, min: 0, max: 62.5, lines: 3 });
    expect(warm.serverLogs[0]?.findings).toMatchObject([{ code: 'prefix-cache', severity: 'info', line: 6, text: 'Prefix cache hit rate: 48%' }]);
  });

  it('names a quantized GEMM that falls back, once per text', () => {
    const w = '(EngineCore_DP0 pid=20) WARNING 01-02 10:00:30 [marlin.py:34] Your GPU does not have native support for FP4 computation but FP4 quantization is being used. Weight-only FP4 compression will be used leveraging the Marlin kernel. This may degrade performance for compute-heavy workloads.';
    const r = parseVllmLogText(v1([...engine, w, w]), 'f.log');
    expect(r.serverLogs[0]?.findings).toMatchObject([{ code: 'kernel-fallback', severity: 'warning', line: 4 }]);
  });

  it('gives the API server\'s traceback before any engine started as the log\'s error', () => {
    const r = parseVllmLogText(
      v1([
        SERVE[0] ?? '',
        '(APIServer pid=7) Traceback (most recent call last):',
        '(APIServer pid=7)   File "/usr/local/bin/vllm", line 10, in <module>',
        '(APIServer pid=7) ValueError: Unknown quantization method: nvfp5',
      ]),
      'e.log',
    );
    expect(r.serverLogs[0]?.findings).toMatchObject([{ code: 'error', severity: 'error', line: 4, text: 'ValueError: Unknown quantization method: nvfp5' }]);
  });

  it('reads the findings of a fragment that has no start of the engine', () => {
    const { parsed, unrecognised } = parseString(
      v1(['...', '(EngineCore_DP0 pid=9) WARNING 03-02 16:40:11 [kv_cache.py:100] Using KV cache scaling factor 1.0 for fp8_e4m3. If this is unintended, verify that k/v_scale scaling factors are properly set in the checkpoint.']),
      'excerpt.txt',
    );
    expect(unrecognised).toBeNull();
    expect(parsed.serverLogs[0]?.findings.map((f) => f.code)).toEqual(['fp8-uncalibrated-scales']);
    // A line that only looks like a logger line, with nothing of vLLM in it, is no log.
    expect(parseString('INFO 03-02 16:40:11 [app.py:10] started\n', 'app.txt').unrecognised).not.toBeNull();
  });
});
