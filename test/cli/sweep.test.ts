/**
 * A `vllm bench sweep serve` output tree in an experiment: `run=N.json` per run, `summary.json` per
 * combination, `summary.csv` for the sweep, a warm-up and a failure. One experiment, each run once,
 * named by the parameter that differs, repeats numbered.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';

const tmp = mkdtempSync(join(tmpdir(), 'benchbook-sweep-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A `vllm bench serve --save-result` result, as `vllm bench sweep` extends it. */
function result(seqs: number, run: number): Record<string, unknown> {
  const throughput = 1000 + seqs * 10 + run * 3.25;
  return {
    date: `20260301-12${String(seqs).padStart(2, '0')}0${run}`,
    endpoint_type: 'openai',
    backend: 'vllm',
    label: null,
    model_id: 'Qwen/Qwen3-32B-FP8',
    tokenizer_id: 'Qwen/Qwen3-32B-FP8',
    num_prompts: 200,
    request_rate: 'inf',
    burstiness: 1.0,
    max_concurrency: 32,
    duration: 40.5 + run,
    completed: 200,
    total_input_tokens: 204800,
    total_output_tokens: 51200,
    request_throughput: 4.9382716049382715 + run / 100,
    request_goodput: null,
    output_throughput: throughput,
    total_token_throughput: throughput * 5,
    mean_ttft_ms: 120.5 + seqs,
    median_ttft_ms: 110.25,
    p99_ttft_ms: 480.125,
    mean_tpot_ms: 24.5,
    median_tpot_ms: 24.25,
    p99_tpot_ms: 30.5,
    mean_itl_ms: 24.5,
    median_itl_ms: 22.75,
    p99_itl_ms: 60.5,
    mean_e2el_ms: 6400.5 + run,
    median_e2el_ms: 6350.25,
    p99_e2el_ms: 7100.75,
    run_number: run,
    max_num_seqs: seqs,
    random_input_len: 1024,
  };
}

function csvOf(rows: Record<string, unknown>[]): string {
  const cols = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const cell = (v: unknown) => (v === null || v === undefined ? '' : String(v));
  return [',' + cols.join(','), ...rows.map((r, i) => [String(i), ...cols.map((c) => cell(r[c]))].join(','))].join('\n') + '\n';
}

describe('a vllm bench sweep serve tree', () => {
  const exp = join(tmp, 'artifacts', 'qwen3_32b_sweep_20260301');
  const stamp = join(exp, '20260301_120000');
  const all: Record<string, unknown>[] = [];
  for (const seqs of [32, 64]) {
    const dir = join(stamp, `SERVE--max_num_seqs=${seqs}-BENCH--default`);
    mkdirSync(dir, { recursive: true });
    const runs = [0, 1].map((n) => result(seqs, n));
    runs.forEach((r, n) => writeFileSync(join(dir, `run=${n}.json`), JSON.stringify(r, null, 4)));
    writeFileSync(join(dir, 'warmup.json'), JSON.stringify({ ...result(seqs, 0), run_number: -1, num_prompts: 8 }, null, 4));
    writeFileSync(join(dir, 'summary.json'), JSON.stringify(runs, null, 4));
    all.push(...runs);
  }
  writeFileSync(join(stamp, 'summary.csv'), csvOf(all));
  const failed = join(stamp, 'SERVE--max_num_seqs=128-BENCH--default');
  mkdirSync(failed, { recursive: true });
  writeFileSync(
    join(failed, 'run=0.failure.json'),
    JSON.stringify({ run_number: 0, error_type: 'TimeoutError', error: 'server did not become ready in 300 s', serve_overrides: { max_num_seqs: 128 }, bench_overrides: {} }, null, 2),
  );

  it('gives each run once, from its own file, named by max_num_seqs with its repeat', async () => {
    let out = '';
    const code = await main(['inspect', join(tmp, 'artifacts'), '--json'], { stdout: { write: (s: string) => (out += s) }, stderr: { write: () => undefined } });
    expect(code).toBe(0);
    const model = JSON.parse(out) as { experiments: { runs: Record<string, unknown>[]; unrecognised: unknown[] }[]; messages: { file: string; rule: string; severity: string; text: string }[] };
    const runs = model.experiments[0]?.runs ?? [];
    expect(runs.map((r) => r['label'])).toEqual(['max_num_seqs=32 #1', 'max_num_seqs=32 #2', 'max_num_seqs=64 #1', 'max_num_seqs=64 #2']);
    expect(runs.every((r) => /\/run=\d\.json$/.test(String(r['file'])))).toBe(true);
    expect(runs.map((r) => r['outputTokenThroughput'])).toEqual([1320, 1323.25, 1640, 1643.25]);
    expect(runs[0]?.['params']).toEqual({ max_num_seqs: '32', random_input_len: '1024' });
    expect(model.experiments[0]?.unrecognised).toEqual([]);
    const rules = model.messages.map((m) => m.rule);
    // Each summary.json repeats its two runs, summary.csv all four: one message each.
    expect(rules.filter((r) => r === 'duplicate-run')).toHaveLength(3);
    expect(rules.filter((r) => r === 'sweep-warmup')).toHaveLength(2);
    const failure = model.messages.find((m) => m.rule === 'sweep-run-failed');
    expect(failure).toMatchObject({ severity: 'error' });
    expect(failure?.text).toContain('max_num_seqs=128 run 0: TimeoutError: server did not become ready in 300 s');
  });
});
