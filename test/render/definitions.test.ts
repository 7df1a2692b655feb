/** Runs of different tools compared: the report says where the tools compute a figure differently. */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { renderAll } from '../../src/build.js';
import { fixturesDir } from '../helpers/files.js';

const root = mkdtempSync(join(tmpdir(), 'benchbook-definitions-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('a comparison across tools', () => {
  it('notes each figure whose definition differs between the compared runs, in both locales, and compares them all the same', async () => {
    const dir = join(root, 'artifacts', 'mix_20260601');
    mkdirSync(dir, { recursive: true });
    // One GuideLLM benchmark (16 streams, 402 requests) and one vllm bench serve result at the same load.
    const report = JSON.parse(readFileSync(join(fixturesDir, 'guidellm-json', 'v2-config-two-strategies', 'benchmarks.json'), 'utf8'));
    const benchmark = report.benchmarks[1];
    benchmark.config.strategy.streams = 16;
    benchmark.scheduler_metrics.requests_made = { successful: 400, errored: 2, incomplete: 0, total: 402 };
    writeFileSync(join(dir, 'guidellm_c16.json'), JSON.stringify({ ...report, benchmarks: [benchmark] }));
    writeFileSync(
      join(dir, 'vllm_c16.json'),
      JSON.stringify({ backend: 'vllm', model_id: 'Qwen/Qwen3-8B', num_prompts: 402, request_rate: 'inf', max_concurrency: 16, duration: 49.8, completed: 402, failed: 0, total_input_tokens: 205824, total_output_tokens: 51456, request_throughput: 8.07, output_throughput: 1033.2, mean_ttft_ms: 80.2, median_ttft_ms: 77, mean_tpot_ms: 14.5, mean_itl_ms: 14.6, mean_e2el_ms: 1990 }),
    );
    const r = await renderAll(root);
    const en = r.outputs.get('reports/mix_20260601.en.md')?.toString('utf8') ?? '';
    const zh = r.outputs.get('reports/mix_20260601.zh.md')?.toString('utf8') ?? '';
    expect(en).toContain('## Comparison');
    expect(en).toMatch(/compute the following figures differently[^\n]*\n- output throughput: mean of the rate over time windows \([^)]+\); all output tokens \/ the run’s wall time \([^)]+\)/);
    // TTFT and TPOT are computed alike by both tools: no note for them.
    expect(en).not.toMatch(/^- time to first token/m);
    expect(zh).toMatch(/计算方法不同[^\n]*\n- 输出吞吐：按时间窗口计算的速率的平均值/);
  }, 60_000);
});
