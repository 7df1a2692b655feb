// Expected values were read from the files in ../shared/corpus by a person.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { corpusDir, parseAt } from '../helpers/files.js';

describe('a benchmark_serving.py fork that drops the _ms suffix and writes seconds (InferenceX, GLM-5)', () => {
  const { parsed, unrecognised } = parseAt(join(corpusDir, 'vllm-bench-json', 'saved_benchmark_serving-fork_2026-02_InferenceX_glm5_SECONDS-no-ms-suffix_request_rate-inf-string.json'));
  it('reads its bare latency keys as seconds, and says so', () => {
    expect(unrecognised).toBeNull();
    const run = parsed.runs[0];
    expect(run).toMatchObject({ model: 'zai-org/GLM-5-FP8', concurrency: 4, requests: 40, completed: 40, requestRate: null });
    // median_ttft 0.26499967742711306 s, p99_e2el 3.7203497649915516 s, median_tpot 0.021372462615488082 s.
    expect(run?.ttftMs?.p50).toBeCloseTo(265.0, 1);
    expect(run?.latencyMs?.p99).toBeCloseTo(3720.35, 1);
    expect(run?.tpotMs?.p50).toBeCloseTo(21.37, 2);
    expect(run?.metadata['median_ttft']).toBeUndefined();
    expect(parsed.messages).toMatchObject([{ severity: 'warning', rule: 'unit-assumed' }]);
    expect(parsed.messages[0]?.text).toContain('median_ttft');
  });
});

describe('benchmark_serving --save-result JSON (llm-d, May 2025)', () => {
  const { parsed, unrecognised } = parseAt(
    join(corpusDir, 'vllm-bench-json', 'saved_benchmark_serving_2025-05_llm-d_metadata_request_goodput-typo_10qps.json'),
  );
  const run = parsed.runs[0];
  it('reads the figures, the "request_goodput:" typo key notwithstanding', () => {
    expect(unrecognised).toBeNull();
    expect(parsed.messages).toEqual([]);
    expect(run).toMatchObject({
      format: 'vllm-bench-json',
      model: 'meta-llama/Llama-3.2-3B-Instruct',
      requests: 300,
      completed: 300,
      failed: null,
      concurrency: null,
      requestRate: 10,
      durationS: 36.034275877000255,
      totalInputTokens: 299700,
      totalOutputTokens: 81050,
      requestThroughput: 8.325406649602808,
      outputTokenThroughput: 2249.247363167692,
      totalTokenThroughput: 10566.328606120898,
      inputTokensMean: 999,
    });
    expect(run?.ttftMs).toEqual({ mean: 54.577085783294024, p50: 52.999333499883505, p90: null, p95: null, p99: 89.76647855975897, min: null, max: null });
    expect(run?.itlMs?.p99).toBe(34.210415409961556);
    expect(run?.latencyMs).toBeNull(); // no e2el keys in this file
  });
  it('keeps --metadata pairs as metadata', () => {
    expect(run?.metadata).toMatchObject({ gpu: '4xNVIDIA_L40S', gateway: 'kgateway', input_len: '1000', decode_replicas: '4', backend: 'vllm' });
  });
});

describe('printed Serving Benchmark Result blocks', () => {
  it('reads a four-block concurrency sweep with hard-wrapped command lines (v0.6.6)', () => {
    const { parsed } = parseAt(
      join(corpusDir, 'vllm-bench-json', 'printed_v0.6.6_benchmark_serving_deepseek-v3_pp2-tp8_concurrency-sweep_hardwrapped.txt'),
    );
    expect(parsed.runs.map((r) => r.concurrency)).toEqual([64, 128, 256, 512]);
    expect(parsed.runs.map((r) => r.outputTokenThroughput)).toEqual([231.11, 341.74, 369.6, 359.64]);
    expect(parsed.runs.map((r) => r.totalTokenThroughput)).toEqual([501.62, 743.15, 801.81, 780.51]);
    expect(parsed.runs.every((r) => r.model === 'deepseek-ai/DeepSeek-V3' && r.requests === 1024 && r.completed === 1024)).toBe(true);
    expect(parsed.runs[3]).toMatchObject({ durationS: 545.97, requestThroughput: 1.88 });
    expect(parsed.runs[3]?.ttftMs).toMatchObject({ mean: 101638.17, p50: 136694.69, p99: 182805.42 });
    expect(parsed.runs[0]?.itlMs).toMatchObject({ mean: 4421.57, p50: 4402.53, p99: 5306.83 });
    // The server's own lines in the same paste give its log.
    expect(parsed.serverLogs[0]).toMatchObject({ vllmVersion: '0.6.6.post2.dev5+g5ce4627a', tensorParallelSize: 8, pipelineParallelSize: 2, gpuBlocks: 2889, maxConcurrency: 5.64 });
  });
  it('reads failed requests, concurrency and peaks inside the newer block, padding and all', () => {
    const { parsed } = parseAt(join(corpusDir, 'vllm-bench-json', 'printed_vllm-bench-serve_2025-H2_peak-metrics_failed-requests_trailing-spaces.txt'));
    expect(parsed.runs).toHaveLength(1);
    expect(parsed.runs[0]).toMatchObject({
      completed: 1000,
      failed: 0,
      concurrency: 50,
      durationS: 9.25,
      totalInputTokens: 100000,
      totalOutputTokens: 100000,
      requestThroughput: 108.08,
      outputTokenThroughput: 10808.22,
      peakOutputTokenThroughput: 11399,
      peakConcurrentRequests: 176,
      totalTokenThroughput: 21616.43,
      inputTokensMean: 100,
      model: null,
    });
    expect(parsed.runs[0]?.tpotMs).toMatchObject({ mean: 3.85, p50: 3.85, p99: 4.14 });
    expect(parsed.serverLogs).toEqual([]);
  });
});

describe('SGLang bench_serving printouts', () => {
  it('reads the six blocks of a research fork as SGLang runs by their rate; all-zero ITL means not streamed', () => {
    const { parsed, unrecognised } = parseAt(
      join(corpusDir, 'sglang', 'sglang-bench_serving-fork_lora-research_console_6-blocks_negative-zero-median-TPOT_ITL-all-zero_trailing-spaces.md'),
    );
    expect(unrecognised).toBeNull();
    expect(parsed.formats).toEqual(['sglang-bench-text']);
    expect(parsed.runs.map((r) => r.requestRate)).toEqual([2, 4, 8, 16, 32, 64]);
    expect(parsed.runs.map((r) => r.outputTokenThroughput)).toEqual([825.94, 839.01, 832.68, 819.97, 834.62, 832.48]);
    expect(parsed.runs[0]).toMatchObject({ completed: 996, durationS: 264.25, totalInputTokens: 342460, totalOutputTokens: 218257, totalTokenThroughput: 2121.89, inputTokenThroughput: 1295.95 });
    expect(parsed.runs[0]?.metadata).toMatchObject({ backend: 'sglang', 'Total generated tokens (retokenized)': '103837' });
    expect(parsed.runs[0]?.latencyMs).toMatchObject({ mean: 2098.07, p50: 606.86 });
    // ITL 0.00 throughout and TTFT ≈ E2E: the fork called /generate without streaming; its TTFT and TPOT are not per-token figures.
    expect(parsed.runs.every((r) => r.streaming === false && r.ttftMs === null && r.tpotMs === null && r.itlMs === null)).toBe(true);
    expect(parsed.messages).toEqual([]);
  });
});

describe('evalscope perf', () => {
  it('reads the 0.11 tabulate grids of a non-streaming run: latency kept, no TTFT or TPOT', () => {
    const { parsed } = parseAt(join(corpusDir, 'evalscope-perf', 'evalscope_0.11_docs_2025-02_r1-distill-1.5b_summary-and-percentile_nan-TPOT.txt'));
    expect(parsed.runs).toHaveLength(1);
    const run = parsed.runs[0];
    expect(run).toMatchObject({
      format: 'evalscope-perf',
      durationS: 92.66,
      concurrency: 10,
      requests: 100,
      completed: 100,
      failed: 0,
      outputTokenThroughput: 1727.453,
      requestThroughput: 1.079,
      inputTokensMean: 20,
      outputTokensMean: 1600.66,
    });
    expect(run?.metadata['Result DB path']).toBe('outputs/20250213_103632/DeepSeek-R1-Distill-Qwen-1.5B/benchmark_data.db');
    expect(run?.latencyMs).toMatchObject({ mean: 8636, p50: 9385, p90: 11075, p95: 11147, p99: 11168.8 });
    // "Average package per request 1.0": not streamed, so its TTFT is its latency and its TPOT an aggregate: neither is kept.
    expect(run).toMatchObject({ streaming: false, ttftMs: null, tpotMs: null, itlMs: null });
  });
  it('reads the 1.x box-drawing tables with ms units and transposed percentiles', () => {
    const { parsed } = parseAt(join(corpusDir, 'evalscope-perf', 'evalscope_1.x_docs_quick_start_box-drawing-tables.txt'));
    expect(parsed.runs).toHaveLength(1);
    const run = parsed.runs[0];
    expect(run).toMatchObject({
      durationS: 38.31,
      concurrency: 200,
      requestRate: null,
      requests: 400,
      completed: 400,
      failed: 0,
      requestThroughput: 10.44,
      inputTokensMean: 1024,
      outputTokensMean: 1024,
      outputTokenThroughput: 10692.45,
      totalTokenThroughput: 21384.91,
    });
    expect(run?.latencyMs).toMatchObject({ mean: 18780, p50: 18710, p90: 20280, p95: 20620, p99: 20840 });
    expect(run?.ttftMs).toMatchObject({ mean: 717.63, p50: 333.79, p99: 2319.52 });
    expect(run?.tpotMs).toMatchObject({ mean: 17.66, p50: 17.76 });
    expect(run?.itlMs).toMatchObject({ mean: 17.64, p99: 50.11 });
  });
  it('reads the 2025 console log: JSON summary (more digits) merged with the table, args for the model', () => {
    const { parsed } = parseAt(join(corpusDir, 'evalscope-perf', 'evalscope_2025-07_user-console_args-json_summary-json_tables_r1-distill-32b.log'));
    expect(parsed.runs).toHaveLength(1);
    const run = parsed.runs[0];
    expect(run).toMatchObject({
      model: 'DeepSeek-R1-Distill-Qwen-32B',
      concurrency: 64,
      requests: 10,
      completed: 10,
      failed: 0,
      maxTokens: 2048,
      durationS: 84.7137,
      outputTokenThroughput: 144.7935,
      totalTokenThroughput: 146.3281,
      requestThroughput: 0.118,
      inputTokensMean: 13,
      outputTokensMean: 1226.6,
    });
    expect(run?.latencyMs).toMatchObject({ mean: 65286.1, p50: 62064.9, p99: 84713 });
    expect(run?.ttftMs).toMatchObject({ mean: 524.7, p50: 525.4 });
    expect(run?.itlMs?.p99).toBeCloseTo(60.8, 9);
  });
});

describe('SGLang bench_serving --output-file JSON Lines (late 2024, short schema)', () => {
  it('reads seven runs of a rate sweep, totals from the records, one label per parameter set', () => {
    const { parsed, unrecognised } = parseAt(join(corpusDir, 'sglang', 'sglang-bench_serving_2024-12_output-file_7-records_rate-sweep_short-schema-median-only.jsonl'));
    expect(unrecognised).toBeNull();
    expect(parsed.messages).toEqual([]);
    expect(parsed.runs.map((r) => [r.requestRate, r.completed, r.metadata['dataset_name']])).toEqual([
      [1, 300, 'random'],
      [2, 600, 'random'],
      [4, 1200, 'random'],
      [8, 2400, 'random'],
      [16, 3200, 'random'],
      [4, 1200, 'sharegpt'],
      [8, 2400, 'sharegpt'],
    ]);
    const first = parsed.runs[0];
    // 300 requests × 1024 configured, but the record's own totals: 152612 in, 160347 out over 298.37 s.
    expect(first).toMatchObject({ format: 'sglang-bench-json', line: 1, durationS: 298.3675805060193, outputTokenThroughput: 537.4142851849319, maxTokens: null });
    expect(first?.inputTokensMean).toBeCloseTo(152612 / 300, 9);
    expect(first?.outputTokensMean).toBeCloseTo(160347 / 300, 9);
    expect(first?.requestThroughput).toBeCloseTo(300 / 298.3675805060193, 9);
    expect(first?.latencyMs).toEqual({ mean: 7840.616212638561, p50: 7819.046192569658, p90: null, p95: null, p99: null, min: null, max: null });
    expect(first?.ttftMs?.p50).toBe(85.74514742940664);
    expect(first?.itlMs?.p50).toBe(13.638956006616354);
    expect(first?.tpotMs).toBeNull();
    // The sharegpt records still carry random_input_len 1024: not theirs, so not kept.
    expect(parsed.runs[5]?.metadata['random_input_len']).toBeUndefined();
  });

  it('reads a bare Infinity request rate (Python json) as requests sent at once', () => {
    const { parsed, unrecognised } = parseAt(join(corpusDir, 'sglang', 'sglang-bench_serving_2024-12_output-file_7-records_request_rate-Infinity-bare-token_H200_llama3.3-70b.jsonl'));
    expect(unrecognised).toBeNull();
    expect(parsed.messages).toEqual([]);
    expect(parsed.runs).toHaveLength(7);
    expect(parsed.runs.every((r) => r.requestRate === null && r.metadata['request_rate'] === 'inf')).toBe(true);
    expect(parsed.runs.map((r) => [r.completed, r.metadata['random_input_len'] ?? null, r.metadata['random_output_len'] ?? null])).toEqual([
      [3000, '1024', '1024'],
      [4000, '1024', '512'],
      [800, '4096', '2048'],
      [1500, '4096', '1024'],
      [1500, '4096', '1024'],
      [6000, '256', '512'],
      [2000, null, null],
    ]);
    expect(parsed.runs[0]).toMatchObject({ outputTokenThroughput: 4520.698730654741, durationS: 341.72106836596504 });
    expect(parsed.runs[0]?.ttftMs?.p50).toBe(91282.20983641222);
  });
});

describe('GuideLLM 0.2.x benchmarks.json and benchmarks.yaml (the tool\'s own fixture, one synchronous benchmark)', () => {
  const json = parseAt(join(corpusDir, 'guidellm', 'guidellm_v0.2.x_tool-fixture_benchmarks_stripped_sweep-synchronous_single-line-no-EOL.json'));
  const yaml = parseAt(join(corpusDir, 'guidellm', 'guidellm_v0.2.x_tool-fixture_benchmarks_stripped_same-run.yaml'));

  it('reads the benchmark as one run: counts from request_totals, seconds and milliseconds as the tool writes them', () => {
    expect(json.unrecognised).toBeNull();
    expect(json.parsed.messages).toEqual([]);
    expect(json.parsed.runs).toHaveLength(1);
    const run = json.parsed.runs[0];
    expect(run).toMatchObject({
      format: 'guidellm-json',
      model: 'example_model',
      concurrency: 1, // the synchronous strategy
      completed: 46, // request_totals, not the stripped run_stats (1)
      failed: 0,
      requests: 47,
      durationS: 29.997201442718506,
      requestThroughput: 1.5481806532737452,
      outputTokenThroughput: 198.13346751788123,
      maxTokens: 128,
      streaming: true,
    });
    expect(run?.metadata).toMatchObject({ strategy: 'synchronous', incomplete: '1' });
    expect(run?.latencyMs?.mean).toBeCloseTo(644.4743664368339, 9);
    expect(run?.latencyMs?.p50).toBeCloseTo(642.4565315246582, 9);
    expect(run?.ttftMs).toMatchObject({ mean: 16.792535781860348, p50: 16.38054847717285, p99: 21.281957626342773 });
    // GuideLLM's ITL (after the first token, per request) is vLLM's TPOT; its TPOT includes the first token.
    expect(run?.tpotMs?.mean).toBe(4.941609043733832);
    expect(run?.msPerOutputToken).toBe(4.90300272307966);
    expect(run?.itlMs).toBeNull();
  });

  it('reads the YAML form of the same report to the same figures', () => {
    expect(yaml.unrecognised).toBeNull();
    expect(yaml.parsed.messages).toEqual([]);
    const strip = (r: (typeof json.parsed.runs)[number] | undefined) => ({ ...r, format: null, file: null });
    expect(strip(yaml.parsed.runs[0])).toEqual(strip(json.parsed.runs[0]));
  });
});

describe('NVIDIA AIPerf profile exports', () => {
  const at = (f: string) => parseAt(join(corpusDir, 'aiperf', f));

  it('reads the 0.1.x records layout: counts with the 11 cancelled requests, ITL as TPOT and inter-chunk latency as ITL', () => {
    const { parsed, unrecognised } = at('aiperf_0.1.x_examples_run1_profile_export_aiperf_records-layout_gpt-oss-20b_c100_cancellation.json');
    expect(unrecognised).toBeNull();
    expect(parsed.messages).toEqual([]);
    const run = parsed.runs[0];
    expect(run).toMatchObject({
      format: 'aiperf-json',
      model: 'openai/gpt-oss-20b',
      concurrency: 100,
      requests: 100,
      completed: 89,
      failed: 11,
      durationS: 9.317788951,
      requestThroughput: 9.551622221540914,
      outputTokenThroughput: 2320.7222350404572,
      inputTokensMean: 550,
      outputTokensMean: 242.96629213483146,
      streaming: true,
    });
    expect(run?.ttftMs).toMatchObject({ mean: 2343.219436988764, p50: 2369.317693, p99: 3833.3894000399996 });
    expect(run?.latencyMs?.mean).toBe(9059.654633033708);
    expect(run?.tpotMs?.mean).toBe(27.763065454471807);
    expect(run?.itlMs?.mean).toBe(27.755153106189347);
    expect(run?.metadata['errors']).toBe('RequestCancellationError ×11');
  });

  it('reads the CSV of the same run by its headers, CRLF and all, to the printed precision', () => {
    const { parsed, unrecognised } = at('aiperf_0.1.x_examples_run1_profile_export_aiperf_two-tables_ns-timestamps.csv');
    expect(unrecognised).toBeNull();
    expect(parsed.messages).toEqual([]);
    expect(parsed.runs[0]).toMatchObject({ format: 'aiperf-csv', completed: 89, failed: 11, requests: 100, durationS: 9.32, requestThroughput: 9.55, outputTokenThroughput: 2320.72 });
    expect(parsed.runs[0]?.ttftMs).toMatchObject({ mean: 2343.22, p50: 2369.32, p99: 3833.39 });
    expect(parsed.runs[0]?.tpotMs?.mean).toBe(27.76);
    expect(parsed.runs[0]?.metadata['tool']).toBe('aiperf');
  });

  it('reads the 0.8.0 top-level layout and its CSV with the new sum and p10 columns', () => {
    const json = at('aiperf_0.8.0_schema-1.0_profile_export_aiperf_top-level-metrics_mock-server_c100k_connection-errors.json');
    expect(json.unrecognised).toBeNull();
    expect(json.parsed.messages).toEqual([]);
    expect(json.parsed.runs[0]).toMatchObject({
      model: 'mock',
      concurrency: 100000,
      requests: 500000,
      completed: 481414,
      failed: 18586,
      durationS: 141.58332399600002,
      requestThroughput: 3400.2168222410205,
      outputTokenThroughput: 343421.89904634305,
      totalTokenThroughput: 778649.6522931937,
    });
    expect(json.parsed.runs[0]?.ttftMs).toMatchObject({ mean: 11205.91161602855, p50: 9539.0889685, p99: 36193.81841633999 });
    expect(json.parsed.runs[0]?.metadata['aiperf_version']).toBe('0.8.0');
    const csv = at('aiperf_0.8.0_profile_export_aiperf_sum-and-p10-columns_same-run-as-json.csv');
    expect(csv.unrecognised).toBeNull();
    expect(csv.parsed.messages).toEqual([]);
    // A reader by position would take the sum (8561956098.41) for the minimum.
    expect(csv.parsed.runs[0]?.latencyMs).toMatchObject({ mean: 17785.02, min: 1.77, p50: 16428.07, p99: 54340.44 });
    expect(csv.parsed.runs[0]).toMatchObject({ completed: 481414, failed: 18586, requestThroughput: 3400.22 });
  });
});

describe('genai-perf profile_export_genai_perf.json (its own test fixture, mid-2024)', () => {
  it('reads statistics written as strings and latencies in ns; its per-response ITL as ITL', () => {
    const { parsed, unrecognised } = parseAt(join(corpusDir, 'genai-perf', 'genai-perf_2024-H1_tool-test-fixture_profile_export_genai_perf_string-values_ns-units_num_output_token_indented-excerpt.json'));
    expect(unrecognised).toBeNull();
    expect(parsed.messages).toEqual([]);
    const run = parsed.runs[0];
    expect(run).toMatchObject({ format: 'genai-perf-json', model: 'gpt2_vllm', concurrency: 1, maxTokens: 256, streaming: true, requestThroughput: 12.222026283281268, outputTokenThroughput: 217.1010500160076 });
    expect(run?.latencyMs?.mean).toBeCloseTo(81.6942623143508, 9);
    expect(run?.ttftMs?.p50).toBeCloseTo(20.901523, 9);
    expect(run?.itlMs?.mean).toBeCloseTo(3.8601011100274306, 9);
    expect(run?.tpotMs).toBeNull();
    expect(run?.outputTokensMean).toBeCloseTo(17.763097949886106, 9);
  });
});

describe('LLMPerf individual responses (the leaderboard\'s Bedrock llama2-70b run)', () => {
  it('summarises the 150 requests as the run\'s summary file does: 49 errored left out, linear quantiles', () => {
    const { parsed, unrecognised } = parseAt(join(corpusDir, 'llmperf', 'llmperf_leaderboard_2023-12_bedrock-llama2-70b_individual_responses_150-records_error-code-minus100.json'));
    expect(unrecognised).toBeNull();
    expect(parsed.messages).toEqual([]);
    const run = parsed.runs[0];
    expect(run).toMatchObject({ format: 'llmperf-requests', requests: 150, completed: 101, failed: 49, outputTokenThroughput: null });
    // The figures of bedrock_70b.json (the summary of the same run), in seconds there.
    expect(run?.ttftMs?.mean).toBeCloseTo(408.37363779203295, 6);
    expect(run?.ttftMs?.p50).toBeCloseTo(387.71994699891366, 6);
    expect(run?.ttftMs?.p99).toBeCloseTo(686.971139999514, 6);
    expect(run?.latencyMs?.mean).toBeCloseTo(7058.203132000026, 6);
    expect(run?.latencyMs?.p99).toBeCloseTo(8093.41601000051, 6);
    expect(run?.msPerOutputToken).toBeCloseTo(47.07488939073093, 6);
  });
});

describe('trtllm-bench console reports (TensorRT-LLM docs)', () => {
  it('reads the 0.17 throughput report behind its log lines: the single token throughput is output tokens per second', () => {
    const { parsed, unrecognised } = parseAt(join(corpusDir, 'trtllm-bench', 'trtllm-bench_0.17.0_docs_throughput_TRT-engine_console-with-TRT-LLM-log-prefix_snip-marker.txt'));
    expect(unrecognised).toBeNull();
    expect(parsed.messages).toEqual([]);
    expect(parsed.runs).toHaveLength(1);
    expect(parsed.runs[0]).toMatchObject({
      format: 'trtllm-bench-text',
      model: 'meta-llama/Llama-3.1-8B',
      requests: 3000,
      inputTokensMean: 128,
      outputTokensMean: 128,
      requestThroughput: 221.8002,
      outputTokenThroughput: 28390.4265, // 221.8002 req/s × 128 output tokens
      durationS: 13.5256862,
      latencyMs: null,
    });
    expect(parsed.runs[0]?.metadata).toMatchObject({ trtllm_version: '0.17.0', quantization: 'FP8', kv_cache_dtype: 'FP8', tp_size: '1' });
  });

  it('reads the later report: total/output/per-user throughput, the latency breakdown, not the dataset table', () => {
    const { parsed, unrecognised } = parseAt(join(corpusDir, 'trtllm-bench', 'trtllm-bench_~0.19_docs_pytorch-backend_multimodal_sample-output_REQUEST-DETAILS_latency-breakdown_dataset-percentile-table.txt'));
    expect(unrecognised).toBeNull();
    expect(parsed.messages).toEqual([]);
    expect(parsed.runs[0]).toMatchObject({ requests: 10, inputTokensMean: 411.6, outputTokensMean: 128.7, requestThroughput: 1.4439, outputTokenThroughput: 185.8351, totalTokenThroughput: 780.1607, durationS: 6.9254963 });
    expect(parsed.runs[0]?.latencyMs).toEqual({ mean: 3671.8441, p50: 3936.3022, p90: 5514.4701, p95: 5514.4701, p99: 5514.4701, min: 2397.1047, max: 5514.4701 });
    // The measured mean concurrency is not a concurrency setting.
    expect(parsed.runs[0]?.concurrency).toBeNull();
    expect(parsed.runs[0]?.metadata['avg_concurrent_requests']).toBe('5.3019');
  });
});

describe('GuideLLM 0.2.x console report (the tool\'s own expected output for the same run)', () => {
  it('reads the Info and Stats tables by their spanning headers, to the printed figures of the JSON', () => {
    const { parsed, unrecognised } = parseAt(join(corpusDir, 'guidellm', 'guidellm_v0.2.x_tool-fixture_console_from-file_pipe-tables_trailing-spaces.txt'));
    expect(unrecognised).toBeNull();
    expect(parsed.messages).toEqual([]);
    expect(parsed.runs).toHaveLength(1);
    expect(parsed.runs[0]).toMatchObject({
      format: 'guidellm-text',
      model: 'example_model',
      concurrency: 1,
      completed: 46,
      failed: 0,
      requests: 47,
      durationS: 30,
      requestThroughput: 1.55,
      outputTokenThroughput: 198.1,
      totalTokenThroughput: 992.7,
      inputTokensMean: 257.1,
      outputTokensMean: 128,
      msPerOutputToken: 4.9,
    });
    expect(parsed.runs[0]?.latencyMs).toMatchObject({ mean: 640, p50: 640, p99: 690 });
    expect(parsed.runs[0]?.ttftMs).toMatchObject({ mean: 16.8, p50: 16.4, p99: 21.3 });
    expect(parsed.runs[0]?.tpotMs).toMatchObject({ mean: 4.9, p50: 4.9, p99: 5.3 });
  });
});
