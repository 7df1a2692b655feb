import { describe, expect, it } from 'vitest';
import { parseString } from '../helpers/files.js';

describe('lm-evaluation-harness', () => {
  it('reads the 0.3 results JSON (acc / acc_stderr, model_args in config)', () => {
    const json = {
      results: { hellaswag: { acc: 0.6, acc_stderr: 0.004, acc_norm: 0.78, acc_norm_stderr: 0.0041 }, arc_easy: { acc: 0.81, acc_stderr: 0.008 } },
      versions: { hellaswag: 0, arc_easy: 0 },
      config: { model: 'hf-causal', model_args: 'pretrained=EleutherAI/pythia-1b,revision=main', num_fewshot: 0 },
    };
    const r = parseString(JSON.stringify(json), 'results.json');
    expect(r.parsed.accuracy[0]?.model).toBe('EleutherAI/pythia-1b');
    expect(r.parsed.accuracy[0]?.tasks.map((t) => [t.task, t.metric, t.value, t.stderr])).toEqual([
      ['hellaswag', 'acc', 0.6, 0.004],
      ['hellaswag', 'acc_norm', 0.78, 0.0041],
      ['arc_easy', 'acc', 0.81, 0.008],
    ]);
  });

  it('reads the printed Markdown table, continuing a task over its filter rows', () => {
    const text = [
      'vllm (pretrained=Qwen/Qwen3-32B-FP8,tensor_parallel_size=1), gen_kwargs: (None), limit: None, num_fewshot: 5, batch_size: auto',
      '|Tasks|Version|     Filter     |n-shot|  Metric   |   |Value |   |Stderr|',
      '|-----|------:|----------------|-----:|-----------|---|-----:|---|-----:|',
      '|gsm8k|      3|flexible-extract|     5|exact_match|↑  |0.8832|±  |0.0088|',
      '|     |       |strict-match    |     5|exact_match|↑  |0.8719|±  |0.0092|',
      '',
    ].join('\n');
    const r = parseString(text, 'lm_eval.txt');
    expect(r.parsed.accuracy).toEqual([
      {
        file: 'lm_eval.txt',
        format: 'lm-eval-table',
        model: 'Qwen/Qwen3-32B-FP8',
        tasks: [
          { task: 'gsm8k', metric: 'exact_match,flexible-extract', value: 0.8832, stderr: 0.0088, correct: null, total: null, variant: null },
          { task: 'gsm8k', metric: 'exact_match,strict-match', value: 0.8719, stderr: 0.0092, correct: null, total: null, variant: null },
        ],
      },
    ]);
  });
});

describe('evalscope perf', () => {
  it('reads benchmark_summary.json on its own', () => {
    const json = {
      'Time taken for tests (s)': 10.5,
      'Number of concurrency': 8,
      'Total requests': 40,
      'Succeed requests': 39,
      'Failed requests': 1,
      'Output token throughput (tok/s)': 300.25,
      'Total token throughput (tok/s)': 500.5,
      'Request throughput (req/s)': 3.7143,
      'Average latency (s)': 2.0345,
      'Average time to first token (s)': 0.1234,
      'Average time per output token (s)': 0.0203,
      'Average input tokens per request': 54,
      'Average output tokens per request': 80.85,
    };
    const r = parseString(JSON.stringify(json), 'benchmark_summary.json');
    expect(r.parsed.runs[0]).toMatchObject({
      format: 'evalscope-perf-json',
      durationS: 10.5,
      concurrency: 8,
      requests: 40,
      completed: 39,
      failed: 1,
      outputTokenThroughput: 300.25,
      totalTokenThroughput: 500.5,
      inputTokenThroughput: 200.25,
      requestThroughput: 3.7143,
    });
    expect(r.parsed.runs[0]?.latencyMs?.mean).toBe(2034.5);
    expect(r.parsed.runs[0]?.ttftMs?.mean).toBe(123.4);
    expect(r.parsed.runs[0]?.tpotMs?.mean).toBe(20.3);
  });

  it('reads several summaries of one console log as several runs', () => {
    const summary = (c: number, qps: number) =>
      ['Benchmarking summary: ', ` Time taken for tests: 100.0 seconds`, ` Number of concurrency: ${c}`, ' Succeed requests: 100', ' Failed requests: 0', ` Average QPS: ${qps}`, ''].join('\n');
    const r = parseString(summary(8, 0.5) + 'some other line\n' + summary(16, 0.9), 'sweep.log');
    expect(r.parsed.runs.map((x) => [x.concurrency, x.requestThroughput, x.line])).toEqual([
      [8, 0.5, 1],
      [16, 0.9, 8],
    ]);
  });
});
