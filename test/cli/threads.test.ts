/**
 * bin/threads.cjs: libuv's thread pool sized to the cores before Node starts it, unless the user
 * sized it. Checked in fresh processes: the variable it sets, and (on Linux) the threads the
 * process then has.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/files.js';

const threads = join(repoRoot, 'bin', 'threads.cjs');
const { poolSize } = createRequire(import.meta.url)(threads) as { poolSize: (cores: number) => number };

/** Runs `code` in a new Node process that loads threads.cjs first, with UV_THREADPOOL_SIZE as given (undefined: unset). */
function run(code: string, size: string | undefined): string {
  const env = { ...process.env };
  delete env['UV_THREADPOOL_SIZE'];
  if (size !== undefined) env['UV_THREADPOOL_SIZE'] = size;
  const r = spawnSync(process.execPath, ['--require', threads, '-e', code], { encoding: 'utf8', env });
  expect(r.stderr).toBe('');
  return r.stdout.trim();
}

/** Prints how many threads the process has once the pool has taken work. */
const COUNT_THREADS = `require('node:fs').readFile(__filename, () => console.log(require('node:fs').readdirSync('/proc/self/task').length))`;

describe('thread pool size', () => {
  it('is one thread per core, never fewer than two', () => {
    expect([1, 2, 3, 16].map(poolSize)).toEqual([2, 2, 3, 16]);
  });

  it('is set when unset, and left as the user set it', () => {
    expect(run('console.log(process.env.UV_THREADPOOL_SIZE)', undefined)).toBe(String(poolSize(availableParallelism())));
    expect(run('console.log(process.env.UV_THREADPOOL_SIZE)', '7')).toBe('7');
  });

  it.runIf(process.platform === 'linux')('takes effect: the pool has as many threads as it says', () => {
    const ours = Number(run(COUNT_THREADS, undefined));
    const more = Number(run(COUNT_THREADS, String(poolSize(availableParallelism()) + 3)));
    expect(more - ours).toBe(3);
  });

  it('is what the command loads first', () => {
    const bin = createRequire(import.meta.url).resolve(join(repoRoot, 'bin', 'benchbook.cjs'));
    const pkg = createRequire(import.meta.url)(join(repoRoot, 'package.json')) as { bin: Record<string, string>; scripts: Record<string, string> };
    expect(join(repoRoot, pkg.bin['benchbook'] ?? '')).toBe(bin);
    expect(pkg.scripts['build']).toContain('bin/benchbook.cjs');
    const code = readFileSync(bin, 'utf8').split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#!') && !l.trim().startsWith('//'));
    expect(code[0]).toBe("require('./threads.cjs');");
  });
});
