import { describe, expect, it } from 'vitest';
import { parseString } from '../helpers/files.js';

const block = (lines: string[], prefix = '', eol = '\n') => lines.map((l) => prefix + l).join(eol) + eol;

const V0_BLOCK = [
  '============ Serving Benchmark Result ============',
  'Successful requests:                     200       ',
  'Benchmark duration (s):                  20.00     ',
  'Total input tokens:                      40000     ',
  'Total generated tokens:                  20000     ',
  'Request throughput (req/s):              10.00     ',
  'Output token throughput (tok/s):         1000.00   ',
  'Total Token throughput (tok/s):          3000.00   ',
  '---------------Time to First Token----------------',
  'Mean TTFT (ms):                          50.00     ',
  'Median TTFT (ms):                        45.00     ',
  'P99 TTFT (ms):                           99.00     ',
  '----------------End-to-end Latency----------------',
  'Mean E2EL (ms):                          1500.00   ',
  'P90 E2EL (ms):                           1800.00   ',
  '==================================================',
];

describe('printed Serving Benchmark Result blocks', () => {
  it('reads a block behind Slurm labels, with CRLF line ends and ANSI colours', () => {
    const text = block(V0_BLOCK.map((l, i) => (i === 1 ? `\x1b[32m${l}\x1b[0m` : l)), '3: ', '\r\n');
    const { parsed } = parseString(text, 'bench.txt');
    expect(parsed.runs).toHaveLength(1);
    expect(parsed.runs[0]).toMatchObject({
      completed: 200,
      durationS: 20,
      requestThroughput: 10,
      outputTokenThroughput: 1000,
      totalTokenThroughput: 3000,
      inputTokenThroughput: 2000,
      inputTokensMean: 200,
      outputTokensMean: 100,
      line: 1,
    });
    expect(parsed.runs[0]?.ttftMs).toEqual({ mean: 50, p50: 45, p90: null, p95: null, p99: 99, min: null, max: null });
    expect(parsed.runs[0]?.latencyMs).toMatchObject({ mean: 1500, p90: 1800 });
  });

  it('reads blocks pasted as comments (# ) inside a longer script output', () => {
    const text = 'echo start\n' + block(V0_BLOCK, '# ') + 'done\n';
    const { parsed } = parseString(text);
    expect(parsed.runs[0]?.line).toBe(2);
    expect(parsed.runs[0]?.completed).toBe(200);
  });

  it('joins a value hard-wrapped onto the next line', () => {
    const lines = [...V0_BLOCK];
    lines.splice(5, 1, 'Request throughput (req/s):', '10.00');
    const { parsed } = parseString(block(lines));
    expect(parsed.runs[0]?.requestThroughput).toBe(10);
    expect(parsed.messages).toEqual([]);
  });

  it('takes model, prompts and concurrency of each block of a sweep from the client output before it', () => {
    const text =
      "Namespace(backend='vllm', model='org/model-a', num_prompts=200, max_concurrency=8, request_rate=inf, dataset_name='random', random_output_len=100)\n" +
      'Maximum request concurrency: 8\n' +
      block(V0_BLOCK) +
      "Namespace(backend='vllm', model='org/model-a', num_prompts=200, max_concurrency=16, request_rate=inf, dataset_name='random', random_output_len=100)\n" +
      'Maximum request concurrency: 16\n' +
      block(V0_BLOCK);
    const { parsed } = parseString(text);
    expect(parsed.runs.map((r) => [r.index, r.model, r.concurrency, r.requests, r.maxTokens, r.requestRate])).toEqual([
      [0, 'org/model-a', 8, 200, 100, null],
      [1, 'org/model-a', 16, 200, 100, null],
    ]);
  });

  it('warns about a block cut before its closing rule and keeps what it read', () => {
    const { parsed } = parseString(block(V0_BLOCK.slice(0, 6)), 'cut.txt');
    expect(parsed.runs[0]?.requestThroughput).toBe(10);
    expect(parsed.messages).toEqual([
      expect.objectContaining({ file: 'cut.txt', line: 1, rule: 'truncated-block', severity: 'warning' }),
    ]);
  });

  it('names a value that is not a number, with its line', () => {
    const lines = [...V0_BLOCK];
    lines[2] = 'Benchmark duration (s):                  n/a';
    const { parsed } = parseString(block(lines), 'odd.txt');
    expect(parsed.runs[0]?.durationS).toBeNull();
    expect(parsed.messages).toEqual([expect.objectContaining({ rule: 'bad-number', line: 3, file: 'odd.txt' })]);
  });

  it("reads SGLang's bench_serving block", () => {
    const text = block([
      '============ Serving Benchmark Result ============',
      'Backend:                                 sglang',
      'Traffic request rate:                    inf',
      'Max request concurrency:                 32',
      'Successful requests:                     500',
      'Benchmark duration (s):                  50.00',
      'Total input tokens:                      100000',
      'Total generated tokens:                  50000',
      'Total generated tokens (retokenized):    49990',
      'Request throughput (req/s):              10.00',
      'Input token throughput (tok/s):          2000.00',
      'Output token throughput (tok/s):         1000.00',
      'Total token throughput (tok/s):          3000.00',
      'Concurrency:                             31.50',
      '----------------End-to-End Latency----------------',
      'Mean E2E Latency (ms):                   3100.00',
      'Median E2E Latency (ms):                 3000.00',
      '---------------Time to First Token----------------',
      'Mean TTFT (ms):                          100.00',
      'P99 TTFT (ms):                           300.00',
      '==================================================',
    ]);
    const { parsed } = parseString(text);
    expect(parsed.runs[0]).toMatchObject({ concurrency: 32, completed: 500, inputTokenThroughput: 2000, totalTokenThroughput: 3000 });
    expect(parsed.runs[0]?.latencyMs).toMatchObject({ mean: 3100, p50: 3000 });
    expect(parsed.runs[0]?.metadata).toMatchObject({ backend: 'sglang', measuredConcurrency: '31.50' });
  });
});
