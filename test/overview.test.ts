/**
 * The views across experiments, built from generated repositories: a configuration swept on three
 * dates (the last after an upgrade, 10 % slower), the same model on another GPU, repeats, an SLO
 * from benchbook.config.json; and the sample repository, which has none of it.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build, renderAll, type Rendered } from '../src/build.js';
import { t95 } from '../src/assemble/series.js';
import { repoRoot } from './helpers/files.js';
import { main } from '../src/cli/main.js';
import { benchResult, repeatsExperiment, serverLog, sweepExperiment } from './helpers/history-repo.js';

const tmp = mkdtempSync(join(tmpdir(), 'benchbook-overview-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const text = (r: Rendered, path: string): string => {
  const b = r.outputs.get(path);
  if (b === undefined) throw new Error(`no ${path} among ${[...r.outputs.keys()].filter((k) => !k.startsWith('images/')).join(', ')}`);
  return b.toString('utf8');
};

function historyRepo(name: string, config: Record<string, unknown>): string {
  const root = join(tmp, name);
  const artifacts = join(root, 'artifacts');
  sweepExperiment(artifacts, 'qwen3_fp8_l40s_20260101', 'NVIDIA L40S', '0.11.0', '570.124.06', 1);
  sweepExperiment(artifacts, 'qwen3_fp8_l40s_20260201', 'NVIDIA L40S', '0.11.0', '570.124.06', 1.01);
  sweepExperiment(artifacts, 'qwen3_fp8_l40s_20260301', 'NVIDIA L40S', '0.12.0', '580.65.06', 0.9);
  sweepExperiment(artifacts, 'qwen3_fp8_h100_20260215', 'NVIDIA H100 80GB HBM3', '0.11.0', '570.124.06', 2.1);
  repeatsExperiment(artifacts, 'qwen3_fp8_repeats_20260310', [1180, 1210, 1195]);
  writeFileSync(join(root, 'benchbook.config.json'), JSON.stringify(config));
  return root;
}

describe('the overview across experiments', () => {
  let r: Rendered;
  beforeAll(async () => {
    r = await renderAll(historyRepo('history', { slo: 'mlperf-llama2-70b-interactive' }));
  }, 120_000);

  it('names the best configuration per model and GPU among the runs that met the SLO', () => {
    const en = text(r, 'reports/overview.en.md');
    // H100: c=32 at 1500 × 2.1 = 3150 tok/s meets p99 TTFT 900 ÷ 2.1 = 429 ≤ 450 ms; c=64 (1428 ms) does not.
    expect(en).toContain('| Qwen3-32B-FP8 | NVIDIA H100 80GB HBM3 | FP8 · TP=1 · 1 GPU · vllm | c=32 | 3,150.0 | 3,150.0 | 15 Feb 2026 |');
    // L40S: the fastest run within the SLO is c=16 of 1 Feb (1200 × 1.01 = 1212, TTFT 396 ms); c=32 breaks it (891 ms).
    expect(en).toContain('| Qwen3-32B-FP8 | NVIDIA L40S | FP8 · TP=1 · 1 GPU · vllm | c=16 | 1,212.0 | 1,212.0 | 1 Feb 2026 |');
    expect(text(r, 'reports/overview.zh.md')).toContain('| Qwen3-32B-FP8 | NVIDIA L40S | FP8 · TP=1 · 1 GPU · vllm | c=16 | 1,212.0 | 1,212.0 | 2026 年 2 月 1 日 |');
  });

  it('flags exactly the drop after the upgrade, at every load, with what changed; the H100 is a history of its own', () => {
    const en = text(r, 'reports/overview.en.md');
    const lines = en.split('\n').filter((l) => l.startsWith('- **Regression**'));
    // 0.9 ÷ 1.01 − 1 = −10.9 % throughput, 1.01 ÷ 0.9 − 1 = +12.2 % on both p99 latencies.
    expect(lines).toEqual([
      '- **Regression** from `qwen3_fp8_l40s_20260201` to `qwen3_fp8_l40s_20260301` (limit 5.0%): output tok/s −10.9% at c=1, c=4, c=16, c=32, c=64; TTFT p99 +12.2% at c=1, c=4, c=16, c=32, c=64; TPOT p99 +12.2% at c=1, c=4, c=16, c=32, c=64; what changed: vLLM 0.11.0 → 0.12.0, driver 570.124.06 → 580.65.06.',
    ]);
    // One experiment on the H100: no history of it, and no heading for it.
    expect(en.match(/^### .*$/gm)).toEqual(['### Qwen3-32B-FP8 · FP8 · 1× NVIDIA L40S · TP=1 · in ≈1000 / out ≈260 · vllm']);
    // The repeats' median continues the c=16 series, with their range; a rise is no regression.
    expect(en).toContain('| c=16 | 10 Mar 2026 | [`qwen3_fp8_repeats_20260310`](qwen3_fp8_repeats_20260310.en.md) | 3 | 1,195.0 (1,180.0–1,210.0) | +10.6% | −1.4% |');
  });

  it('puts the overview first in the README and says in each report section what changed since the previous run', () => {
    const readme = text(r, 'README.en.md');
    const overview = readme.indexOf('## [Overview across experiments](reports/overview.en.md)');
    expect(overview).toBeGreaterThan(0);
    expect(overview).toBeLessThan(readme.indexOf('## [Qwen3-32B-FP8'));
    expect(readme).toContain('- **Regression** in `qwen3_fp8_l40s_20260301`, Qwen3-32B-FP8 · FP8 · 1× NVIDIA L40S · TP=1 · in ≈1000 / out ≈260 · vllm: output tok/s −10.9% at c=1');
    const section = readme.slice(readme.indexOf('`qwen3_fp8_l40s_20260301`'));
    expect(section).toContain('- Since `qwen3_fp8_l40s_20260201` (1 Feb 2026), [Qwen3-32B-FP8 · FP8 · 1× NVIDIA L40S · TP=1 · in ≈1000 / out ≈260 · vllm](reports/overview.en.md#qwen3-32b-fp8--fp8--1-nvidia-l40s--tp1--in-1000--out-260--vllm): output tok/s c=1 −10.9% (**regression**), c=4 −10.9% (**regression**)');
    const zh = text(r, 'README.md');
    expect(zh).toContain('- 与 `qwen3_fp8_l40s_20260201`（2026 年 2 月 1 日）相比，[Qwen3-32B-FP8 · FP8 · 1× NVIDIA L40S · TP=1 · 输入 ≈1000 / 输出 ≈260 · vllm](reports/overview.zh.md#');
    // The first point of a series has nothing before it.
    const first = readme.slice(readme.indexOf('`qwen3_fp8_l40s_20260101`'));
    expect(first.slice(0, first.indexOf('\n## ')).includes('- Since')).toBe(false);
  });

  it('draws one trend chart per history in each locale, and a site page the index lists first', () => {
    const pngs = [...r.outputs.keys()].filter((k) => k.startsWith('images/overview-'));
    expect(pngs).toHaveLength(2);
    for (const p of pngs) expect(r.outputs.get(p)?.subarray(1, 4).toString()).toBe('PNG');
    expect(text(r, 'reports/overview.en.md')).toContain(`![Output tok/s, TTFT p99 and TPOT p99 by experiment date](../${pngs.find((p) => p.endsWith('.en.png'))})`);
    const page = text(r, 'site/overview.en.html');
    expect(page).toContain('<svg');
    const index = text(r, 'site/index.en.html');
    expect(index.indexOf('overview.en.html')).toBeGreaterThan(0);
    expect(index.indexOf('overview.en.html')).toBeLessThan(index.indexOf('qwen3_fp8_'));
  });

  it('is the same bytes when built again', async () => {
    const again = await renderAll(join(tmp, 'history'));
    for (const path of ['reports/overview.en.md', 'reports/overview.zh.md', 'README.md', 'site/overview.zh.html']) expect(again.outputs.get(path)?.equals(r.outputs.get(path) as Buffer), path).toBe(true);
  }, 120_000);

  it('shows a sweep its Pareto front and its SLO line, as a person reads them off the tables', () => {
    const en = text(r, 'reports/qwen3_fp8_l40s_20260301.en.md');
    // Per GPU (TP=1) = output tok/s; per user = 1000 ÷ (TPOT ÷ 0.9): c=64 (1260, 20.0) is beaten by c=32 (1350, 45.0).
    expect(en).toContain('| c=64 | 1 | 1,260 | 20.0 | 14.42 | – |');
    expect(en).toContain('| c=32 | 1 | 1,350 | 45.0 | 6.17 | yes |');
    expect(en).toContain('- On the front, from the highest throughput per GPU to the most tokens per user: c=32, c=16, c=4, c=1.');
    expect(en).toContain('- Beaten on both (by the nearest run in load that beats it): c=64 (by c=32).');
    expect(en).toContain('![Throughput per GPU vs tokens per user (Pareto front)](../images/qwen3_fp8_l40s_20260301-pareto.en.png)');
    // p99 TTFT 400 ÷ 0.9 = 444.4 ≤ 450 at c=16; 900 ÷ 0.9 = 1000 at c=32.
    expect(en).toContain('| c=16 | 444.4 | 17.73 | yes |');
    expect(en).toContain('| c=32 | 1,000.0 ✗ | 26.67 | **no** |');
    expect(en).toContain('The highest load that still meets the objective: concurrency 16 (c=16).');
    expect(text(r, 'reports/qwen3_fp8_l40s_20260301.zh.md')).toContain('仍然达标的最高负载：并发 16（c=16）。');
  });

  it('gives repeats their median, range and t-interval, and compares them with nothing', () => {
    const en = text(r, 'reports/qwen3_fp8_repeats_20260310.en.md');
    // Mean 1195, s = 15, t(0.975, 2) = 4.303: 1195 ± 37.3.
    expect(en).toContain('| c=16 | 3 | 1,195 | 1,180–1,210 | 2.5% | 1,158–1,232 |');
    expect(en).toContain('- c=16 was measured 3 times: median output throughput 1,195 tok/s, from 1,180 to 1,210 (spread 2.5%).');
    expect(en).not.toContain('## Comparison');
  });
});

describe('the regression limit', () => {
  it('is the threshold benchbook.config.json sets', async () => {
    const r = await renderAll(historyRepo('threshold', { regressionThreshold: 0.15 }));
    const en = text(r, 'reports/overview.en.md');
    expect(en).not.toContain('**Regression**');
    expect(en).toContain('No change beyond the limit.');
    expect(en).toContain('by more than 15.0% or the run-to-run spread');
  }, 120_000);

  it('is the repeats’ spread where that is larger: a drop within it is no regression', async () => {
    const root = join(tmp, 'spread');
    // 1000 and 1150 (spread 150 ÷ 1075 = 14.0 %), then 960: −10.7 % from the median, within the spread.
    repeatsExperiment(join(root, 'artifacts'), 'qwen3_fp8_l40s_20260101', [1000, 1150]);
    repeatsExperiment(join(root, 'artifacts'), 'qwen3_fp8_l40s_20260201', [960]);
    const en = text(await renderAll(root), 'reports/overview.en.md');
    expect(en).toContain('| c=16 | 1 Feb 2026 | [`qwen3_fp8_l40s_20260201`](qwen3_fp8_l40s_20260201.en.md) | 1 | 960.0 | −10.7% |');
    expect(en).toContain('No change beyond the limit.');
  }, 120_000);
});

describe('the sample repository', () => {
  it('has no overview, Pareto, SLO or repeats section: nothing in it spans two experiments or trades one axis for the other', async () => {
    const r = await renderAll(repoRoot);
    expect([...r.outputs.keys()].filter((k) => k.includes('overview'))).toEqual([]);
    for (const [path, b] of r.outputs) {
      if (!path.startsWith('reports/') && !path.startsWith('README')) continue;
      const md = b.toString('utf8');
      for (const heading of ['## Throughput per GPU and interactivity', '## Service-level objective', '## Repeats', '## 单卡吞吐与交互速度', '## 服务等级目标', '## 重复测量', '## [Overview across experiments]', '## [跨实验总览]', '](reports/overview.']) expect(md.includes(heading), `${path}: ${heading}`).toBe(false);
    }
  }, 120_000);
});

describe("Student's t", () => {
  it('is the table to 30 degrees of freedom and close to it beyond', () => {
    expect(t95(2)).toBe(4.303);
    expect(t95(30)).toBe(2.042);
    // Tables: 2.021 at 40, 2.000 at 60, 1.980 at 120.
    expect(t95(40)).toBeCloseTo(2.021, 3);
    expect(t95(60)).toBeCloseTo(2.0, 3);
    expect(t95(120)).toBeCloseTo(1.98, 3);
  });
});

describe('goodput', () => {
  it('counts the requests whose own TTFT and TPOT are within the limits, from vLLM --save-detailed arrays', async () => {
    const root = join(tmp, 'goodput');
    const dir = join(root, 'artifacts', 'qwen3_fp8_goodput_20260301');
    mkdirSync(dir, { recursive: true });
    const result = JSON.parse(benchResult(16, 1200, 13.3, 400)) as Record<string, unknown>;
    // Four successful requests of 10 tokens and one failed: by hand, TTFT 100/300/500/200 ms and
    // TPOT (9 gaps ÷ 9) 20/30/20/50 ms against 450 and 40 ms: the first two are good.
    Object.assign(result, {
      duration: 10, completed: 4, failed: 1, num_prompts: 5,
      ttfts: [0.1, 0.3, 0.5, 0.2, 0], itls: [Array(9).fill(0.02), Array(9).fill(0.03), Array(9).fill(0.02), Array(9).fill(0.05), []],
      output_lens: [10, 10, 10, 10, 0], input_lens: [1024, 1024, 1024, 1024, 1024], errors: ['', '', '', '', 'timeout'],
    });
    writeFileSync(join(dir, 'result_c16.json'), JSON.stringify(result));
    writeFileSync(join(dir, 'experiment.yaml'), 'slo: mlperf-llama2-70b-interactive\n');
    let out = '';
    await main(['inspect', join(root, 'artifacts'), '--json'], { stdout: { write: (s: string) => (out += s) }, stderr: { write: () => undefined } });
    const run = (JSON.parse(out) as { experiments: { runs: Record<string, unknown>[] }[] }).experiments[0]?.runs[0];
    expect((run?.['slo'] as { goodput: unknown }).goodput).toEqual({ good: 2, of: 4, perSecond: 0.2, metrics: ['ttft', 'tpot'] });
    expect(run && 'perRequest' in run).toBe(false);
    const en = text(await renderAll(root), 'reports/qwen3_fp8_goodput_20260301.en.md');
    expect(en).toContain('| 2 of 4 (50.0%), 0.2 req/s |');
  }, 60_000);
});

describe('GPUs per run', () => {
  it('are TP × PP × DP from the log, so throughput per GPU divides by every GPU the server used', async () => {
    const root = join(tmp, 'dp', 'artifacts');
    sweepExperiment(root, 'qwen3_fp8_dp_20260301', 'NVIDIA H100 80GB HBM3', '0.12.0', '580.65.06', 1);
    const log = join(root, 'qwen3_fp8_dp_20260301', 'vllm_serve.log');
    writeFileSync(log, serverLog('0.12.0', 2).replace('data_parallel_size=1', 'data_parallel_size=2'));
    let out = '';
    await main(['inspect', root, '--json'], { stdout: { write: (s: string) => (out += s) }, stderr: { write: () => undefined } });
    const exp = (JSON.parse(out) as { experiments: { pareto: { file: string; tokPerSecPerGpu: number }[]; runs: { file: string; key: { gpuCount: number; dp: number } }[] }[] }).experiments[0];
    // c=16: 1200 tok/s on TP=2 × DP=2 = 4 GPUs.
    expect(exp?.pareto.find((p) => p.file === 'result_c16.json')?.tokPerSecPerGpu).toBe(300);
    expect(exp?.runs.find((r) => r.file === 'result_c16.json')?.key).toMatchObject({ gpuCount: 4, dp: 2 });
  });
});

describe('the README overview', () => {
  it('lists the five newest regressions and says how many more the overview has', async () => {
    const root = join(tmp, 'many');
    // Twelve dates alternating 10 % slower and back: six regressions, one per slower date.
    for (let i = 0; i < 12; i++) sweepExperiment(join(root, 'artifacts'), `qwen3_fp8_l40s_202601${String(i + 10)}`, 'NVIDIA L40S', '0.12.0', '580.65.06', i % 2 ? 0.9 : 1, [16]);
    const readme = text(await renderAll(root), 'README.en.md');
    const listed = readme.split('\n').filter((l) => l.startsWith('- **Regression** in ')).map((l) => /`(\w+)`/.exec(l)?.[1]);
    expect(listed).toEqual(['qwen3_fp8_l40s_20260121', 'qwen3_fp8_l40s_20260119', 'qwen3_fp8_l40s_20260117', 'qwen3_fp8_l40s_20260115', 'qwen3_fp8_l40s_20260113']);
    expect(readme).toContain('- Older regressions: 1 more in [the overview](reports/overview.en.md).');
  }, 120_000);
});

describe('the overview in an incremental build', () => {
  it('is drawn again only when what it is made of changed', async () => {
    const root = historyRepo('incremental', {});
    // A second H100 date: the H100 too has a trend, which a change to an L40S run leaves as it is.
    sweepExperiment(join(root, 'artifacts'), 'qwen3_fp8_h100_20260305', 'NVIDIA H100 80GB HBM3', '0.11.0', '570.124.06', 2.12);
    await build(root, { pdf: 'skip' });
    const file = join(root, 'artifacts', 'qwen3_fp8_h100_20260215', 'result_c1.json');
    const result = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    // A field the overview does not show: its report changes, the overview's files are kept.
    writeFileSync(file, JSON.stringify({ ...result, failed: 0 }));
    let again = await build(root, { pdf: 'skip' });
    expect(again.stats.rendered).toBe(1);
    expect(again.written.written.filter((p) => p.includes('overview'))).toEqual([]);
    // Only that experiment's charts were drawn: none of the overview's.
    const own = readdirSync(join(root, 'images')).filter((f) => f.startsWith('qwen3_fp8_h100_20260215-')).length;
    expect(own).toBeGreaterThan(0);
    expect(again.stats.charts).toBe(own);
    // A figure it shows (an L40S point of a history): drawn again.
    const l40s = join(root, 'artifacts', 'qwen3_fp8_l40s_20260301', 'result_c16.json');
    writeFileSync(l40s, JSON.stringify({ ...(JSON.parse(readFileSync(l40s, 'utf8')) as Record<string, unknown>), output_throughput: 1000 }));
    const trends = readdirSync(join(root, 'images')).filter((f) => f.startsWith('overview-'));
    again = await build(root, { pdf: 'skip' });
    expect(again.written.written.filter((p) => p.startsWith('reports/overview.')).sort()).toEqual(['reports/overview.en.md', 'reports/overview.zh.md']);
    // Of its trend charts, only those of the L40S configuration were drawn again; the others were
    // taken from the last build, and every file is as a build from nothing makes it.
    const redrawn = again.written.written.filter((p) => p.startsWith('images/overview-'));
    expect(redrawn.length).toBeGreaterThan(0);
    expect(redrawn.length).toBeLessThan(trends.length);
    const l40sOwn = readdirSync(join(root, 'images')).filter((f) => f.startsWith('qwen3_fp8_l40s_20260301-')).length;
    expect(again.stats.charts).toBeLessThan(l40sOwn + trends.length);
    const fresh = await renderAll(root);
    for (const [path, content] of fresh.outputs) if (!path.startsWith('site/pdf/')) expect(readFileSync(join(root, path)).equals(content), path).toBe(true);
  }, 120_000);
});
