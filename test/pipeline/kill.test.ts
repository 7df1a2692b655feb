/**
 * A build killed at any moment (SIGKILL: no clean-up runs) leaves every output either as the
 * previous build wrote it or as the new build writes it, never half-written, and nothing outside the
 * outputs; the next build then finishes the job and matches a build that was never interrupted.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifactsDir, repoRoot } from '../helpers/files.js';

const cli = join(repoRoot, 'bin', 'benchbook.cjs');
const work = mkdtempSync(join(tmpdir(), 'benchbook-kill-'));
const scratch = join(work, 'tmp');
mkdirSync(scratch);
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Output path → SHA-256 of its content: README pair, reports/, images/, site/. */
function snapshot(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const add = (path: string) => out.set(relative(root, path), createHash('sha256').update(readFileSync(path)).digest('hex'));
  const walk = (d: string) => {
    if (!existsSync(d)) return;
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name));
      else add(join(d, e.name));
    }
  };
  for (const f of ['README.md', 'README.en.md']) if (existsSync(join(root, f))) add(join(root, f));
  for (const d of ['reports', 'images', 'site']) walk(join(root, d));
  return out;
}

function runBuild(root: string): void {
  const r = spawnSync(process.execPath, [cli, 'build', root, '--no-pdf'], { encoding: 'utf8', env: { ...process.env, CI: '1' } });
  expect(r.status, r.stderr).toBe(0);
}

/** Changes every report and chart of the English locale: templates with changed words. */
function change(root: string): void {
  cpSync(join(repoRoot, 'templates'), join(root, 'templates'), { recursive: true });
  const file = join(root, 'templates', 'en', 'strings.json');
  const strings = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
  writeFileSync(file, JSON.stringify(Object.fromEntries(Object.entries(strings).map(([k, v]) => [k, `${v}*`])), null, 2));
  // The English locale overrides the shared report template with its own.
  const tpl = join(root, 'templates', 'en', 'report.md.hbs');
  writeFileSync(tpl, `${readFileSync(join(root, 'templates', 'report.md.hbs'), 'utf8')}\nRevised.\n`);
}

let base: string;
let before: Map<string, string>;
let after: Map<string, string>;
let fullMs = 0;

beforeAll(() => {
  base = join(work, 'base');
  cpSync(artifactsDir, join(base, 'artifacts'), { recursive: true });
  runBuild(base);
  before = snapshot(base);
  const ref = join(work, 'reference');
  cpSync(base, ref, { recursive: true });
  change(ref);
  const t0 = performance.now();
  runBuild(ref);
  fullMs = performance.now() - t0;
  after = snapshot(ref);
}, 120_000);

describe('a build killed mid-way', () => {
  it('leaves every output whole (old or new), and the next build completes it', async () => {
    const changedFiles = [...after.keys()].filter((k) => before.get(k) !== after.get(k));
    expect(changedFiles.length).toBeGreaterThan(20);
    let mixed = 0;
    for (const fraction of [0.3, 0.45, 0.6, 0.75, 0.9]) {
      const root = join(work, `kill-${fraction}`);
      cpSync(base, root, { recursive: true });
      chmodSync(root, 0o755);
      change(root);
      // The killed build's temporary font files stay in the test's own folder, removed with it.
      // The command and the build's process it starts (bin/malloc.cjs), in a group of their own, killed together.
      const child = spawn(process.execPath, [cli, 'build', root, '--no-pdf'], { stdio: 'ignore', detached: true, env: { ...process.env, CI: '1', TMPDIR: scratch } });
      const exited = new Promise<void>((done) => child.on('exit', () => done()));
      await new Promise((r) => setTimeout(r, fullMs * fraction));
      try {
        process.kill(-(child.pid ?? 0), 'SIGKILL');
      } catch (e) {
        // Finished before the kill (a machine busier when the reference build was timed): nothing to kill.
        if ((e as NodeJS.ErrnoException).code !== 'ESRCH') throw e;
      }
      await exited;

      const now = snapshot(root);
      let fresh = 0;
      for (const [path, hash] of now) {
        if (/\.benchbook-tmp$/.test(path)) continue; // a temporary file the kill left: hidden, removed by the next build
        expect([before.get(path), after.get(path)], `${path} after a kill at ${fraction}`).toContain(hash);
        if (hash !== before.get(path)) fresh++;
      }
      for (const path of before.keys()) if (after.has(path)) expect(now.has(path), `${path} lost after a kill at ${fraction}`).toBe(true);
      if (fresh > 0 && fresh < changedFiles.length) mixed++;

      runBuild(root);
      const done = snapshot(root);
      expect(done).toEqual(after);
      for (const d of ['reports', 'images', 'site', 'site/assets']) expect(readdirSync(join(root, d)).filter((f) => f.endsWith('.benchbook-tmp'))).toEqual([]);
      rmSync(root, { recursive: true, force: true });
    }
    // At least one kill landed while files were being replaced (else this test proved nothing).
    expect(mixed).toBeGreaterThan(0);
  }, 300_000);
});

describe('rendering on every core', () => {
  it('gives the same files as rendering in one thread', () => {
    const roots = ['2', '1'].map((n) => {
      const root = join(work, `workers-${n}`);
      cpSync(artifactsDir, join(root, 'artifacts'), { recursive: true });
      const r = spawnSync(process.execPath, [cli, 'build', root, '--no-pdf'], { encoding: 'utf8', env: { ...process.env, CI: '1', BENCHBOOK_WORKERS: n } });
      expect(r.status, r.stderr).toBe(0);
      return root;
    });
    const [parallel, single] = roots.map((r) => snapshot(r as string));
    expect(parallel?.size).toBeGreaterThan(50);
    expect(parallel).toEqual(single);
  }, 120_000);
});
