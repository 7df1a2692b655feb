import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { byName, experimentDate, scan } from '../../src/scan/scan.js';

const root = mkdtempSync(join(tmpdir(), 'benchbook-scan-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function file(rel: string, text = 'x'): void {
  const path = join(root, rel);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
}

describe('experimentDate', () => {
  it('reads _YYYYMMDD and YYYY-MM-DD names, and checks the calendar', () => {
    expect(experimentDate('qwen3_bench_20251222')).toEqual({ date: '2025-12-22', valid: true });
    expect(experimentDate('2025-02-15')).toEqual({ date: '2025-02-15', valid: true });
    expect(experimentDate('run_20250231')).toEqual({ date: '2025-02-31', valid: false });
    expect(experimentDate('scratch')).toBeNull();
    expect(experimentDate('bench20251222')).toBeNull();
  });
});

describe('scan', () => {
  const artifacts = join(root, 'artifacts');
  file('artifacts/b_20250102/results/deep/bench.json');
  file('artifacts/b_20250102/a.log');
  file('artifacts/b_20250102/experiment.yaml', 'title: x');
  file('artifacts/b_20250102/notes.zh.md', '笔记');
  file('artifacts/b_20250102/.hidden');
  file('artifacts/2025-01-01/x.txt');
  file('artifacts/scratch/y.txt');
  file('artifacts/loose.json');
  file('outside/secret.txt', 'secret');
  symlinkSync(join(root, 'outside', 'secret.txt'), join(artifacts, 'b_20250102', 'leak.txt'));
  symlinkSync(join(artifacts, 'b_20250102', 'a.log'), join(artifacts, 'b_20250102', 'same.log'));

  it('finds experiments in name order, their files recursively, config and notes apart', async () => {
    const r = await scan(artifacts);
    expect(r.experiments.map((e) => [e.id, e.date])).toEqual([
      ['2025-01-01', '2025-01-01'],
      ['b_20250102', '2025-01-02'],
    ]);
    const b = r.experiments[1];
    expect(b?.files.map((f) => f.rel)).toEqual(['a.log', 'results/deep/bench.json', 'same.log']);
    expect(b?.configFile).toMatch(/experiment\.yaml$/);
    expect(Object.keys(b?.notes ?? {})).toEqual(['zh']);
  });

  it('reports what is out of place instead of ignoring it, and never follows a link outside', async () => {
    const r = await scan(artifacts);
    expect(r.messages.map((m) => [m.rule, m.file])).toEqual([
      ['symlink-outside', 'b_20250102/leak.txt'],
      ['outside-experiment', 'loose.json'],
      ['not-an-experiment', 'scratch'],
    ]);
    expect(r.experiments.flatMap((e) => e.files.map((f) => f.path)).some((p) => p.includes('outside'))).toBe(false);
  });
});

describe('file order', () => {
  it('is natural: numbers inside names compare as numbers, the same on every machine', () => {
    const names = ['bench_c16.json', 'bench_c2.json', 'bench_c128.json', 'bench_c1.json', 'mx-smi_5.txt', 'mx-smi_15.txt', 'README.md', 'a01', 'a1', 'a'];
    expect([...names].sort(byName)).toEqual(['README.md', 'a', 'a01', 'a1', 'bench_c1.json', 'bench_c2.json', 'bench_c16.json', 'bench_c128.json', 'mx-smi_5.txt', 'mx-smi_15.txt']);
  });
});
