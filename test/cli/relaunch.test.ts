/**
 * bin/malloc.cjs: on Linux a build runs in a child process started with glibc's mmap threshold
 * fixed; the command waits for it, passes on its exit status and signals, and a command killed
 * outright takes the build with it.
 */
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { artifactsDir, repoRoot } from '../helpers/files.js';

const cli = join(repoRoot, 'bin', 'benchbook.cjs');
const { MALLOC_ENV, relaunches } = createRequire(import.meta.url)(join(repoRoot, 'bin', 'malloc.cjs')) as {
  MALLOC_ENV: Record<string, string>;
  relaunches: (args: string[], env: Record<string, string | undefined>, platform: string) => boolean;
};
const work = mkdtempSync(join(tmpdir(), 'benchbook-relaunch-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The environment of the tests' commands, without what would stop the relaunch. */
function envWithout(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, CI: '1', ...extra };
  delete env['MALLOC_MMAP_THRESHOLD_'];
  delete env['BENCHBOOK_RELAUNCHED'];
  return env;
}

/** A preload that appends "pid ppid threshold" of every process (and thread) it runs in to `out`. */
function probe(out: string): string {
  const file = join(work, 'probe.cjs');
  writeFileSync(file, `require('node:fs').appendFileSync(${JSON.stringify(out)}, process.pid + ' ' + process.ppid + ' ' + (process.env.MALLOC_MMAP_THRESHOLD_ ?? '-') + '\\n');\n`);
  return file;
}

const alive = (pid: number) => existsSync(`/proc/${pid}`) && !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));

async function until(test: () => boolean, ms: number): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 50))) if (test()) return true;
  return test();
}

describe('relaunching a build', () => {
  it('is for a build on Linux whose allocator is not set already, once', () => {
    expect(relaunches(['build', '.'], {}, 'linux')).toBe(true);
    expect(relaunches(['build'], {}, 'linux')).toBe(true);
    expect(relaunches(['inspect', 'x'], {}, 'linux')).toBe(false);
    expect(relaunches(['watch', '.'], {}, 'linux')).toBe(false);
    expect(relaunches(['build', '.'], {}, 'darwin')).toBe(false);
    expect(relaunches(['build', '.'], { MALLOC_MMAP_THRESHOLD_: '65536' }, 'linux')).toBe(false);
    expect(relaunches(['build', '.'], { BENCHBOOK_RELAUNCHED: '1' }, 'linux')).toBe(false);
    expect(MALLOC_ENV).toEqual({ MALLOC_MMAP_THRESHOLD_: '1048576' });
  });

  it.runIf(process.platform === 'linux')('builds in a child with the threshold set, and exits with its status', () => {
    const out = join(work, 'probe.out');
    const root = join(work, 'repo');
    cpSync(artifactsDir, join(root, 'artifacts'), { recursive: true });
    const r = spawnSync(process.execPath, [cli, 'build', root, '--no-pdf'], { encoding: 'utf8', env: envWithout({ NODE_OPTIONS: `--require ${probe(out)}` }) });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^benchbook: \d+ experiments/);
    const [command, ...rest] = readFileSync(out, 'utf8').trim().split('\n').map((l) => l.split(' '));
    expect(command?.[2]).toBe('-');
    // The build's process (its workers report its pid too): a child of the command, with the threshold.
    expect(rest.length).toBeGreaterThan(0);
    for (const p of rest) expect(p.slice(1)).toEqual([command?.[0], '1048576']);
    const bad = spawnSync(process.execPath, [cli, 'build', join(work, 'none')], { encoding: 'utf8', env: envWithout() });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('no artifacts folder');
  }, 60_000);

  it.runIf(process.platform === 'linux')('passes a signal on, and takes the build with it when killed outright', async () => {
    const root = join(work, 'signals');
    cpSync(artifactsDir, join(root, 'artifacts'), { recursive: true });
    for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
      for (const f of ['.benchbook-cache', 'README.md', 'README.en.md', 'reports', 'images', 'site']) rmSync(join(root, f), { recursive: true, force: true });
      const command = spawn(process.execPath, [cli, 'build', root, '--no-pdf', '--no-cache'], { stdio: 'ignore', env: envWithout() });
      const exited = new Promise<NodeJS.Signals | null>((done) => command.on('exit', (_code, s) => done(s)));
      const children = `/proc/${command.pid}/task/${command.pid}/children`;
      const found = await until(() => existsSync(children) && readFileSync(children, 'utf8').trim() !== '', 10_000);
      expect(found).toBe(true);
      const build = Number(readFileSync(children, 'utf8').trim().split(' ')[0]);
      expect(alive(build)).toBe(true);
      command.kill(signal);
      expect(await exited).toBe(signal);
      expect(await until(() => !alive(build), 10_000), `the build's process after ${signal} to the command`).toBe(true);
      // It stopped, not finished: the site's index, written last, is not there.
      expect(existsSync(join(root, 'site', 'index.html'))).toBe(false);
    }
  }, 60_000);
});
