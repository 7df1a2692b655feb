// Expected values were read from the files in ../shared/corpus/vllm-logs by a person.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readVllmLogFile } from '../../src/parse/vllm-log.js';
import { corpusDir, parseAt } from '../helpers/files.js';

const dir = join(corpusDir, 'vllm-logs');

describe('vLLM 0.13.0 (NVIDIA container) docker logs of vllm serve', () => {
  const file = join(dir, 'v0.13.0-nv26.01_qwen2.5-14b-fp8-dynamic_fp8kv_serve.log');
  const { parsed, unrecognised } = parseAt(file);
  const [log] = parsed.serverLogs;

  it('is one V1 engine with the engine-core pid', () => {
    expect(unrecognised).toBeNull();
    expect(parsed.serverLogs).toHaveLength(1);
    expect(log).toMatchObject({ engine: 'v1', pid: 143, vllmVersion: '0.13.0+faa43dbf.nv26.01', line: 48 });
  });
  it('reads the resolved config and what the user asked for', () => {
    expect(log).toMatchObject({
      model: 'neuralmagic/Qwen2.5-14B-Instruct-FP8-dynamic',
      dtype: 'bfloat16',
      quantization: 'compressed-tensors',
      quantizationRequested: null,
      kvCacheDtype: 'fp8',
      kvCacheDtypeRequested: 'fp8',
      tensorParallelSize: 1,
      pipelineParallelSize: 1,
      maxModelLen: 32768,
      gpuMemoryUtilization: 0.4,
      enforceEager: false,
      enablePrefixCaching: true,
      maxNumBatchedTokens: 2048,
      attentionBackend: 'FLASHINFER',
    });
    expect(log?.nonDefaultArgs).toMatchObject({ max_model_len: 32768, kv_cache_dtype: 'fp8', enable_prefix_caching: true });
  });
  it('reads memory, KV cache (comma thousands), CUDA graphs and peaks', () => {
    expect(log).toMatchObject({
      modelLoadGiB: 15.2227,
      modelLoadS: 96.106305,
      availableKvCacheGiB: 30.46,
      kvCacheTokens: 332672,
      maxConcurrency: 10.15,
      cudaGraphCaptureS: 11,
      cudaGraphGiB: 0.85,
      initEngineS: 40.98,
      peakPromptTps: 8323.2,
      peakGenerationTps: 34.6,
    });
  });
  it('finds every FP8 scale warning (q scale, KV scale, q/prob scales) with its line, and the generation config replacing the sampling defaults', () => {
    expect(log?.findings.map((f) => [f.code, f.line])).toEqual([
      ['fp8-uncalibrated-scales', 61],
      ['fp8-uncalibrated-scales', 62],
      ['fp8-uncalibrated-scales', 63],
      ['generation-config', 81],
      ['prefix-cache', 169],
    ]);
    // 18 metrics lines: fifteen at 0.0 %, one at 11.3 %, the last two at 75.1 % (repeated prompts in the benchmark).
    expect(log?.prefixCacheHitRate).toEqual({ last: 75.1, min: 0, max: 75.1, lines: 18 });
    expect(log?.findings[4]?.text).toBe('Prefix cache hit rate: 75.1%');
    expect(log?.findings[1]?.text).toMatch(/^Using KV cache scaling factor 1\.0 for fp8_e4m3/);
    expect(log?.findings[3]?.text).toContain("(sampling defaults: {'repetition_penalty': 1.05, 'temperature': 0.7, 'top_k': 20, 'top_p': 0.8})");
  });
});

describe('vLLM 0.11.0 four interleaved engines ending in a sampler warm-up OOM', () => {
  const { parsed } = parseAt(join(dir, 'v0.11.0_4x-interleaved-engines_sampler-warmup-OOM_ERROR.log'));

  it('tells the four engines apart by pid', () => {
    expect(parsed.serverLogs.map((l) => l.pid)).toEqual([39535, 39544, 39549, 39539]);
    expect(parsed.serverLogs.every((l) => l.vllmVersion === '0.11.0' && l.engine === 'v1' && l.modelLoadGiB === 2.8798)).toBe(true);
    expect(parsed.serverLogs.map((l) => l.modelLoadS)).toEqual([0.980978, 0.852156, 0.934149, 1.686031]);
  });
  it('gives the failing engine its KV cache, graphs and findings', () => {
    const failing = parsed.serverLogs[0];
    expect(failing).toMatchObject({ kvCacheTokens: 2634544, maxConcurrency: 643.2, maxModelLen: 4096, cudaGraphCaptureS: 5, cudaGraphGiB: 3.49 });
    const codes = failing?.findings.map((f) => f.code);
    expect(codes).toEqual(['engine-start-failed', 'cuda-oom', 'error']);
    const oom = failing?.findings.find((f) => f.code === 'cuda-oom');
    expect(oom?.phase).toBe('sampler-warmup');
    expect(oom?.text).toMatch(/^torch\.OutOfMemoryError: CUDA out of memory\. Tried to allocate 594\.00 MiB/);
    const error = failing?.findings.find((f) => f.code === 'error');
    expect(error?.text).toMatch(/^RuntimeError: CUDA out of memory occurred when warming up sampler with 1024 dummy requests/);
    expect(error?.line).toBe(238);
  });
  it('leaves the other engines without findings or invented figures', () => {
    for (const l of parsed.serverLogs.slice(1)) {
      expect(l.findings).toEqual([]);
      expect(l.kvCacheTokens).toBeNull();
    }
  });
});

describe('vLLM 0.5.4 benchmark_throughput quantization sweep (V0)', () => {
  const { parsed } = parseAt(join(dir, 'v0.5.4_benchmark_throughput_llama3.1-8b_quant-sweep.log'));

  it('reads one engine per run with the quantization vLLM resolved', () => {
    expect(parsed.serverLogs.map((l) => l.quantization)).toEqual([null, 'gptq', 'gptq_marlin', 'gptq_marlin', 'awq_marlin', 'aqlm', 'bitsandbytes']);
    expect(parsed.serverLogs.map((l) => l.quantizationRequested)).toEqual([null, null, null, null, null, null, 'bitsandbytes']);
    expect(parsed.serverLogs.every((l) => l.engine === 'v0' && l.vllmVersion === '0.5.4')).toBe(true);
  });
  it('reads GB weights as GiB and turns GPU blocks into tokens', () => {
    const first = parsed.serverLogs[0];
    expect(first).toMatchObject({ modelLoadGiB: 14.9888, gpuBlocks: 9930, kvCacheTokens: 9930 * 16, cudaGraphCaptureS: 14, maxModelLen: 512 });
    expect(parsed.messages.filter((m) => m.rule === 'assumed-block-size')).toHaveLength(1);
    expect(parsed.serverLogs[6]?.cudaGraphCaptureS).toBeNull(); // enforce_eager run: no capture
  });
  it('also reads the printed throughput of each run', () => {
    expect(parsed.runs.map((r) => r.requestThroughput)).toEqual([13.38, 11.06, 13.06, 13.04, 12.88, 7.5, 7.93]);
    expect(parsed.runs[0]).toMatchObject({ format: 'vllm-throughput-text', totalTokenThroughput: 4681.85, model: 'meta-llama/Meta-Llama-3.1-8B-Instruct', requests: 1000, durationS: 74 });
  });
});

describe('vLLM 0.9.0.1 under KServe/OpenShift', () => {
  const { parsed } = parseAt(join(dir, 'v0.9.0.1_kserve-openshift_qwen2.5-vl-7b_L4.log'));
  it('reads the V1 engine behind an `oc logs` preamble', () => {
    expect(parsed.serverLogs).toHaveLength(1);
    expect(parsed.serverLogs[0]).toMatchObject({
      vllmVersion: '0.9.0.1',
      engine: 'v1',
      model: '/mnt/models',
      servedModelName: 'qwen25-vl-7b-instruct',
      maxModelLen: 2048,
      modelLoadGiB: 15.6271,
      modelLoadS: 119.639792,
      availableKvCacheGiB: 1.81,
      kvCacheTokens: 33824,
      maxConcurrency: 16.52,
      gpuBlocks: 2114,
      cudaGraphCaptureS: 33,
      attentionBackend: 'FLASH_ATTN',
      findings: [
        {
          code: 'generation-config',
          severity: 'warning',
          line: 43,
          text: expect.stringContaining("(sampling defaults: {'repetition_penalty': 1.05, 'temperature': 1e-06})"),
        },
      ],
    });
  });
});

describe('vLLM 0.4.x under Slurm srun --label and tail -f', () => {
  const { parsed } = parseAt(join(dir, 'v0.4.x_slurm-srun-prefixed_tail-multi-file.log'));
  it('reads the periodic metrics through the `0: ` prefixes', () => {
    expect(parsed.serverLogs).toHaveLength(1);
    expect(parsed.serverLogs[0]).toMatchObject({ vllmVersion: null, metricLines: 3, peakPromptTps: 0, peakGenerationTps: 0, findings: [] });
  });
});

describe('streaming reads the same as in memory', () => {
  it('gives identical server logs for every corpus log', async () => {
    for (const name of [
      'v0.13.0-nv26.01_qwen2.5-14b-fp8-dynamic_fp8kv_serve.log',
      'v0.11.0_4x-interleaved-engines_sampler-warmup-OOM_ERROR.log',
      'v0.5.4_benchmark_throughput_llama3.1-8b_quant-sweep.log',
    ]) {
      const streamed = await readVllmLogFile(join(dir, name), name);
      expect(streamed.serverLogs).toEqual(parseAt(join(dir, name)).parsed.serverLogs);
    }
  });
});
