import { describe, expect, it } from 'vitest';
import { dropRepeatedRuns, pairRuns, tagsOf } from '../../src/assemble/pair.js';
import type { Environment, Run, ServerLog } from '../../src/model.js';
import { newEnvironment } from '../../src/parse/environment.js';
import { newRun } from '../../src/parse/types.js';

function log(file: string, failed = false): ServerLog {
  return {
    file,
    findings: failed ? [{ code: 'engine-start-failed', severity: 'error', line: 1, text: 'x' }] : [],
  } as unknown as ServerLog;
}

function env(file: string, gpus: number): Environment {
  const e = newEnvironment(file, gpus ? 'nvidia-smi' : 'nvidia-smi-topo');
  for (let i = 0; i < gpus; i++) e.gpus.push({ index: i, name: 'G', memoryTotalMiB: 1, memoryUsedMiB: 0, busId: null, migMode: null, uuid: null });
  return e;
}

const runs = (...files: string[]): Run[] => files.map((f) => newRun(f, 0, 'bench-openai'));

describe('pairing runs with server logs and captures', () => {
  it('tags file names without the generic words', () => {
    expect(tagsOf('bench_nvfp4_1gpu_c16_r64_mt256.json')).toEqual(['nvfp4', '1gpu', 'c16', 'r64', 'mt256']);
    expect(tagsOf('logs/vllm_2gpu_retry.log')).toEqual(['2gpu', 'retry']);
  });

  it('pairs by shared tags and labels runs by what sets them apart', () => {
    const r = runs('bench_nvfp4_1gpu_c16.json', 'bench_fp8_1gpu_c16.json', 'bench_bf16_1gpu_c16.json');
    const result = pairRuns(r, [log('vllm_nvfp4.log'), log('vllm_fp8.log'), log('vllm_bf16.log')], [env('nvidia-smi.txt', 1), env('topo.txt', 0)], null);
    expect(r.map((x) => [x.label, x.serverLog, x.environment])).toEqual([
      ['nvfp4', 'vllm_nvfp4.log', 'nvidia-smi.txt'],
      ['fp8', 'vllm_fp8.log', 'nvidia-smi.txt'],
      ['bf16', 'vllm_bf16.log', 'nvidia-smi.txt'],
    ]);
    expect(result.unpaired).toEqual([]);
  });

  it('prefers the start that came up over the one that failed, and lists the failed one unpaired', () => {
    const r = runs('bench_1gpu.json', 'bench_2gpu.json');
    const result = pairRuns(r, [log('vllm_1gpu.log'), log('vllm_2gpu.log', true), log('vllm_2gpu_retry.log')], [], null);
    expect(r.map((x) => x.serverLog)).toEqual(['vllm_1gpu.log', 'vllm_2gpu_retry.log']);
    expect(result.unpaired).toEqual(['vllm_2gpu.log']);
  });

  it('never pairs by guess a log that serves another model, and says so; another spelling of the same model pairs', () => {
    const r = [
      { ...newRun('llmperf_summary.json', 0, 'llmperf-summary'), model: 'meta.llama2-70b-chat-v1' },
      { ...newRun('bench_qwen.json', 0, 'bench-openai'), model: '../models/Qwen2.5-14B-Instruct' },
    ];
    const served = { ...log('server.log'), model: 'Qwen/Qwen2.5-14B-Instruct' } as ServerLog;
    const result = pairRuns(r, [served], [], null);
    expect(r.map((x) => x.serverLog)).toEqual([null, 'server.log']);
    expect(result.messages).toEqual([expect.objectContaining({ file: 'llmperf_summary.json', rule: 'model-mismatch', severity: 'warning' })]);
  });

  it('labels bare runs by what differs between them, never by a long file name', () => {
    const long = 'llmperf_leaderboard_2023-12_bedrock-llama2-70b_summary_error-rate-0.33.json';
    const one = [{ ...newRun(long, 0, 'llmperf-summary'), concurrency: 5 }];
    pairRuns(one, [], [], null);
    expect(one[0]?.label).toBe('c=5');
    const two = [
      { ...newRun('results/2025-05-01T10-00-00_sharegpt_meta-llama-3-8b-instruct_run.json', 0, 'vllm-bench-json'), model: 'meta/llama-3-8b', concurrency: 8 },
      { ...newRun('results/2025-05-01T11-30-00_sharegpt_meta-llama-3-8b-instruct_run.json', 0, 'vllm-bench-json'), model: 'meta/llama-3-8b', concurrency: 32 },
    ];
    pairRuns(two, [], [], null);
    expect(two.map((x) => x.label)).toEqual(['c=8', 'c=32']);
  });

  it('labels repeats of one configuration alike, numbered: the run1/run2 words of their names are not what sets them apart', () => {
    const r = runs('bench_fp8_run1.json', 'bench_fp8_run2.json', 'bench_bf16_run1.json');
    pairRuns(r, [], [], null);
    expect(r.map((x) => x.label)).toEqual(['fp8 #1', 'fp8 #2', 'bf16']);
  });

  it('names the GPU counts of runs labelled alike that ran on different ones, and numbers only true repeats', () => {
    const r = [0, 1, 2].map((i) => ({ ...newRun(`bench_${i}.json`, 0, 'bench-openai'), model: 'Qwen/Qwen3-32B-FP8', concurrency: 16 }));
    const served = (file: string, tp: number) => ({ ...log(file), model: 'Qwen/Qwen3-32B-FP8', tensorParallelSize: tp, pipelineParallelSize: 1, dataParallelSize: null }) as ServerLog;
    const config = { runs: { 'bench_0.json': { serverLog: 'tp1.log' }, 'bench_1.json': { serverLog: 'tp2.log' }, 'bench_2.json': { serverLog: 'tp2.log' } } } as unknown as Parameters<typeof pairRuns>[3];
    pairRuns(r, [served('tp1.log', 1), served('tp2.log', 2)], [], config);
    expect(r.map((x) => x.label)).toEqual(['c=16 TP=1', 'c=16 TP=2 #1', 'c=16 TP=2 #2']);
  });

  it('gives one lone log to every run', () => {
    const r = runs('c8.json', 'c16.json');
    pairRuns(r, [log('server.log')], [], null);
    expect(r.map((x) => x.serverLog)).toEqual(['server.log', 'server.log']);
  });

  it('says so when tags cannot decide', () => {
    const r = runs('bench_alpha.json');
    const result = pairRuns(r, [log('vllm_alpha_1.log'), log('vllm_alpha_2.log')], [], null);
    expect(r[0]?.serverLog).toBeNull();
    expect(result.messages.map((m) => m.rule)).toContain('ambiguous-pair');
  });

  it('follows experiment.yaml over the file names', () => {
    const r = runs('bench_a.json');
    const result = pairRuns(r, [log('vllm_a.log'), log('other.log')], [], {
      title: {},
      goal: {},
      baseline: null,
      facts: {},
      readme: { charts: null }, slo: null,
      runs: { 'bench_a.json': { label: 'Run A', serverLog: 'other.log' } },
    });
    expect(r[0]).toMatchObject({ label: 'Run A', serverLog: 'other.log' });
    expect(result.unpaired).toEqual(['vllm_a.log']);
  });
});

describe('a run read twice', () => {
  const measured = (file: string, index: number, tps: number): Run => ({ ...newRun(file, index, 'vllm-bench-json'), durationS: 10, outputTokenThroughput: tps });

  it('is kept once, from the file holding the fewest runs; alike runs of one file are repeats and stay', () => {
    const copy = measured('backup/result.json', 0, 100);
    const own = measured('result.json', 0, 100);
    const summary = [measured('summary.json', 0, 100), measured('summary.json', 1, 200)];
    const twins = [measured('sweep.jsonl', 0, 300), measured('sweep.jsonl', 1, 300)];
    const { runs: kept, messages } = dropRepeatedRuns([...summary, copy, own, ...twins]);
    expect(kept.map((r) => `${r.file}#${r.index}`)).toEqual(['summary.json#1', 'backup/result.json#0', 'sweep.jsonl#0', 'sweep.jsonl#1']);
    expect(messages.map((m) => [m.file, m.rule])).toEqual([
      ['summary.json', 'duplicate-run'],
      ['result.json', 'duplicate-run'],
    ]);
    expect(messages[0]?.text).toContain('the same as in backup/result.json');
  });

  it('never takes runs without figures for copies', () => {
    expect(dropRepeatedRuns([newRun('a.json', 0, 'bench-openai'), newRun('b.json', 0, 'bench-openai')]).runs).toHaveLength(2);
  });
});

describe('runs of a sweep', () => {
  it('are named by the parameters that differ, those the label spells its own way included', () => {
    const sweep = (params: Record<string, string>): Run => ({ ...newRun('run=0.json', 0, 'vllm-bench-json'), params });
    const r = [sweep({ random_input_len: '128', max_num_seqs: '32' }), sweep({ random_input_len: '1024', max_num_seqs: '32' }), sweep({ random_input_len: '1024', max_num_seqs: '64' })];
    r.forEach((x, i) => (x.file = `c${i}/run=0.json`));
    pairRuns(r, [], [], null);
    expect(r.map((x) => x.label)).toEqual(['in=128 max_num_seqs=32', 'in=1024 max_num_seqs=32', 'in=1024 max_num_seqs=64']);
  });
});
