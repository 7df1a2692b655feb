/**
 * A render worker that runs out of its heap (BENCHBOOK_WORKER_HEAP_MB) loses nothing: what it was
 * making is made again in the main thread, the build says so, and its files are those of a build
 * whose workers had room.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { artifactsDir, repoRoot } from '../helpers/files.js';

const cli = join(repoRoot, 'bin', 'benchbook.cjs');
const work = mkdtempSync(join(tmpdir(), 'benchbook-worker-memory-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function buildWith(name: string, heapMb: string): { stdout: string; root: string } {
  const root = join(work, name);
  cpSync(artifactsDir, join(root, 'artifacts'), { recursive: true });
  const env = { ...process.env, CI: '1', BENCHBOOK_WORKERS: '2', BENCHBOOK_WORKER_HEAP_MB: heapMb };
  const r = spawnSync(process.execPath, [cli, 'build', root, '--no-pdf'], { encoding: 'utf8', env });
  expect(r.status, r.stderr).toBe(0);
  return { stdout: r.stdout, root };
}

function files(root: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const dir of ['reports', 'images', 'site']) for (const f of readdirSync(join(root, dir), { recursive: true, withFileTypes: true })) {
    if (f.isFile()) out.set(join(f.parentPath, f.name).slice(root.length), readFileSync(join(f.parentPath, f.name)).toString('base64'));
  }
  for (const f of ['README.md', 'README.en.md']) out.set(f, readFileSync(join(root, f), 'utf8'));
  return out;
}

describe('a render worker out of memory', () => {
  it('hands its work back to the main thread: same files, and the build says so', () => {
    const roomy = buildWith('roomy', '');
    const starved = buildWith('starved', '16');
    expect(roomy.stdout).not.toMatch(/ran out of memory/);
    // The worker that made the experiments runs out; the pages' own worker (no chart libraries, no
    // font subsetter) may or may not fit in 16 MiB.
    expect(starved.stdout).toMatch(/benchbook: (1 render worker|2 render workers) ran out of memory \(BENCHBOOK_WORKER_HEAP_MB, 16 MiB\)/);
    const a = files(roomy.root);
    const b = files(starved.root);
    expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
    expect([...a].filter(([k, v]) => b.get(k) !== v).map(([k]) => k)).toEqual([]);
  }, 120_000);
});
