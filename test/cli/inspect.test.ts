import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { artifactsDir, fixturesDir } from '../helpers/files.js';

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) } });
  return { code, out, err };
}

const tmp = mkdtempSync(join(tmpdir(), 'benchbook-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('benchbook inspect', () => {
  it('prints a readable summary of the sample', async () => {
    const { code, out } = await run(['inspect', artifactsDir]);
    expect(code).toBe(0);
    expect(out).toContain('qwen3_32b_vllm_bench_20251222  (2025-12-22)');
    expect(out).toMatch(/NVFP4 +bench-openai +RedHatAI\/Qwen3-32B-NVFP4 +16 +64\/0 +2\.369 +260\.59 +606\.47/);
    expect(out).toMatch(/5 experiments, 0 errors, 0 warnings\n$/);
  });

  it('reads one file on its own, as an experiment of that file alone', async () => {
    const file = join(fixturesDir, 'sglang-bench-json', 'full-schema', 'bench_sglang_qwen3_32b.jsonl');
    const { code, out } = await run(['inspect', file]);
    expect(code).toBe(0);
    expect(out).toMatch(/^bench_sglang_qwen3_32b\.jsonl\n  2 runs/);
    expect(out).toMatch(/c=16 +sglang-bench-json/);
    expect(out).toMatch(/1 experiments, 0 errors, 0 warnings\n$/);
  });

  it('--json prints the documented interface', async () => {
    const { code, out } = await run(['inspect', artifactsDir, '--json']);
    expect(code).toBe(0);
    const model = JSON.parse(out) as { experiments: Record<string, unknown>[]; messages: unknown[]; series: unknown[] };
    expect(Object.keys(model)).toEqual(['experiments', 'messages', 'series']);
    expect(model.series).toEqual([]);
    const exp = model.experiments.find((e) => e['id'] === 'l40x4_gpt_oss_120b_20251103') as Record<string, unknown>;
    for (const k of ['id', 'date', 'dir', 'runs', 'serverLogs', 'environments', 'accuracy', 'unrecognised']) expect(exp).toHaveProperty(k);
    const first = (exp['runs'] as Record<string, unknown>[])[0] as Record<string, unknown>;
    // The load generator, after the format; its version where the file says.
    expect(Object.keys(first).slice(3, 7)).toEqual(['format', 'tool', 'toolVersion', 'definitions']);
    expect([first['tool'], first['toolVersion']]).toEqual(['vllm', null]);
    expect(first['definitions']).toMatchObject({ ttft: 'first-token', tpot: 'per-request-after-first', itl: 'pooled-chunk-gaps' });
    for (const k of [
      'file', 'index', 'format', 'tool', 'toolVersion', 'model', 'concurrency', 'requests', 'completed', 'failed', 'durationS', 'requestThroughput',
      'inputTokenThroughput', 'outputTokenThroughput', 'totalTokenThroughput', 'inputTokensMean', 'outputTokensMean',
      'latencyMs', 'ttftMs', 'tpotMs', 'itlMs', 'serverLog', 'key', 'keyId',
    ]) expect(first).toHaveProperty(k);
    expect(first['ttftMs']).toEqual({ mean: 44668.95, p50: 44620.76, p90: null, p95: null, p99: 88297.92, min: null, max: null });
  });

  it('is deterministic', async () => {
    const a = await run(['inspect', artifactsDir, '--json']);
    const b = await run(['inspect', artifactsDir, '--json']);
    expect(a.out).toBe(b.out);
  });

  it('--strict exits 1 on an error message, and the good files still come through', async () => {
    const dir = join(tmp, 'artifacts');
    cpSync(join(artifactsDir, 'qwen3_32b_vllm_bench_20251222'), join(dir, 'qwen3_32b_vllm_bench_20251222'), { recursive: true });
    writeFileSync(join(dir, 'qwen3_32b_vllm_bench_20251222', 'bench_broken.json'), '{"ok": 64, "total_time_s": ');
    const lenient = await run(['inspect', dir, '--json']);
    expect(lenient.code).toBe(0);
    const model = JSON.parse(lenient.out) as { experiments: { runs: unknown[]; unrecognised: { file: string; reason: string }[] }[]; messages: { file: string; rule: string }[] };
    expect(model.experiments[0]?.runs).toHaveLength(3);
    expect(model.experiments[0]?.unrecognised.map((u) => u.file)).toEqual(['bench_broken.json']);
    expect(model.messages).toContainEqual(expect.objectContaining({ file: 'qwen3_32b_vllm_bench_20251222/bench_broken.json', rule: 'json-syntax', line: 1 }));
    const strict = await run(['inspect', dir, '--strict']);
    expect(strict.code).toBe(1);
  });

  it('reads one experiment folder as that experiment', async () => {
    const one = await run(['inspect', join(artifactsDir, 'qwen3_32b_vllm_bench_20251222'), '--json']);
    expect(one.code).toBe(0);
    const model = JSON.parse(one.out) as { experiments: { id: string; runs: unknown[] }[] };
    expect(model.experiments.map((e) => e.id)).toEqual(['qwen3_32b_vllm_bench_20251222']);
    expect(model.experiments[0]?.runs).toHaveLength(3);
  });

  it('says what is wrong with its arguments', async () => {
    expect((await run(['inspect', '--nope'])).code).toBe(2);
    expect((await run(['frobnicate'])).err).toContain('unknown command');
    const missing = await run(['inspect', join(tmp, 'does-not-exist')]);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/cannot read artifacts folder/);
  });
});
