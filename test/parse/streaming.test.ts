/** A run that did not stream has no TTFT, TPOT or ITL, whatever its tool printed there. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { artifactsDir, parseString } from '../helpers/files.js';

const mxc = join(artifactsDir, 'mxc500_qwen2_5_72b_evalscope_20250215');

describe('streaming', () => {
  it('evalscope: one response package per request is a non-streaming run; its "time to first token" (the full latency) is dropped', () => {
    const text = readFileSync(join(mxc, 'evalscope_perf_summary_1.txt'), 'utf8');
    expect(text).toMatch(/Average package per request: 1\.000/);
    expect(text).toMatch(/Average time to first token: 65\.745/);
    const [run] = parseString(text, 'evalscope_perf_summary_1.txt').parsed.runs;
    expect(run).toMatchObject({ streaming: false, ttftMs: null, tpotMs: null, itlMs: null });
    expect(run?.latencyMs?.mean).toBe(65745);
    const streamed = parseString(text.replace('Average package per request: 1.000', 'Average package per request: 271.0'), 'x.txt').parsed.runs[0];
    expect(streamed?.streaming).toBe(true);
    expect(streamed?.ttftMs?.mean).toBe(65745);
  });

  it('bench_openai: `stream: false` is a non-streaming run, `stream: true` keeps its TTFT', () => {
    const json = JSON.parse(readFileSync(join(artifactsDir, 'qwen3_32b_vllm_bench_20251222', 'bench_fp8_1gpu_c16_r64_mt256.json'), 'utf8')) as Record<string, unknown>;
    const ttft = { mean: 0.5, p50: 0.4 };
    const off = parseString(JSON.stringify({ ...json, stream: false, ttft_s: ttft }), 'a.json').parsed.runs[0];
    expect(off).toMatchObject({ streaming: false, ttftMs: null });
    const on = parseString(JSON.stringify({ ...json, stream: true, ttft_s: ttft }), 'b.json').parsed.runs[0];
    expect(on?.streaming).toBe(true);
    expect(on?.ttftMs?.mean).toBe(500);
  });

  it('a source that does not say leaves streaming unknown and its figures as they are', () => {
    const text = readFileSync(join(mxc, 'vllm_benchmark_serving_37.txt'), 'utf8');
    const [run] = parseString(text, 'vllm_benchmark_serving_37.txt').parsed.runs;
    expect(run?.streaming).toBeNull();
    expect(run?.ttftMs?.mean).not.toBeNull();
  });

  it("vllm bench serve: the client's no_stream=False says it streamed", () => {
    const text = readFileSync(join(artifactsDir, 'l40x4_gpt_oss_120b_20251103', 'vllm_bench_serve_tp2.txt'), 'utf8');
    expect(text).toContain('no_stream=False');
    expect(parseString(text, 'vllm_bench_serve_tp2.txt').parsed.runs[0]?.streaming).toBe(true);
    const off = text.replace('no_stream=False', 'no_stream=True');
    expect(parseString(off, 'x.txt').parsed.runs[0]).toMatchObject({ streaming: false, ttftMs: null, tpotMs: null, itlMs: null });
  });
});
