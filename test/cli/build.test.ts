/** `benchbook build` and `benchbook watch` from the command line: summary, progress, rebuild on change. */
import { chmodSync, cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main, watch } from '../../src/cli/main.js';
import { artifactsDir } from '../helpers/files.js';

const ID = 'l40x4_gpt_oss_120b_20251103';
let root: string;

function capture(tty = false) {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: { stdout: { write: (s: string) => out.push(s) }, stderr: { write: (s: string) => err.push(s), isTTY: tty } },
    out: () => out.join(''),
    err: () => err.join(''),
  };
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'benchbook-cli-'));
  cpSync(join(artifactsDir, ID), join(root, 'artifacts', ID), { recursive: true });
  chmodSync(join(root, 'artifacts', ID), 0o755);
  for (const f of readdirSync(join(root, 'artifacts', ID))) chmodSync(join(root, 'artifacts', ID, f), 0o644);
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('benchbook build', () => {
  it('ends with a summary: experiments rendered or cached, files written and unchanged, warnings and errors', async () => {
    const first = capture();
    expect(await main(['build', root, '--no-pdf'], first.io)).toBe(0);
    expect(first.out()).toMatch(/^benchbook: 1 experiment \(1 rendered, 0 from cache\); (\d+) files: \1 written, 0 unchanged, 0 removed; 0 errors, 0 warnings; \d+ ms\n$/);
    const second = capture();
    expect(await main(['build', root, '--no-pdf'], second.io)).toBe(0);
    expect(second.out()).toMatch(/^benchbook: 1 experiment \(nothing changed\); (\d+) files: 0 written, \1 unchanged, 0 removed; 0 errors, 0 warnings; \d+ ms\n$/);
  }, 60_000);

  it('shows a progress line per stage on a terminal, and none in a pipe or in CI', async () => {
    const saved = process.env['CI'];
    delete process.env['CI'];
    try {
      const tty = capture(true);
      await main(['build', root, '--no-pdf', '--no-cache'], tty.io);
      for (const stage of ['scanning', 'experiments 1/1', 'README', 'site pages', 'font']) expect(tty.err()).toContain(`\r\u001b[2Kbenchbook: ${stage}`);
      expect(tty.err().endsWith('\r\u001b[2K')).toBe(true); // the line is cleared before the summary
      const pipe = capture(false);
      await main(['build', root, '--no-pdf', '--no-cache'], pipe.io);
      expect(pipe.err()).toBe('');
      process.env['CI'] = 'true';
      const ci = capture(true);
      await main(['build', root, '--no-pdf', '--no-cache'], ci.io);
      expect(ci.err()).toBe('');
    } finally {
      if (saved === undefined) delete process.env['CI'];
      else process.env['CI'] = saved;
    }
  }, 60_000);

  it('says where it looked when there is no artifacts folder', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'benchbook-empty-'));
    try {
      const c = capture();
      expect(await main(['build', empty, '--no-pdf'], c.io)).toBe(2);
      expect(c.err()).toBe(`benchbook: build failed: no artifacts folder at ${join(empty, 'artifacts')}: expected ${join(empty, 'artifacts', '<experiment>_<YYYYMMDD>')}/ folders with the results\n`);
      expect(readdirSync(empty)).toEqual([]);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('rejects an unknown option', async () => {
    const c = capture();
    expect(await main(['build', root, '--fast'], c.io)).toBe(2);
    expect(c.err()).toContain('unknown option --fast');
  });

  it('rejects an argument too many, with its usage, and writes nothing', async () => {
    const c = capture();
    expect(await main(['build', root, 'extra', '--no-pdf'], c.io)).toBe(2);
    expect(c.err()).toContain('benchbook build: unexpected argument "extra"\nusage: benchbook build [ROOT]');
    expect(readdirSync(root)).toEqual(['artifacts']);
  });

  it('answers --help on every command, and --version', async () => {
    for (const command of ['build', 'inspect', 'watch']) {
      const c = capture();
      expect(await main([command, '--help'], c.io), command).toBe(0);
      expect(c.out()).toMatch(new RegExp(`^usage: benchbook ${command} `));
    }
    const v = capture();
    expect(await main(['--version'], v.io)).toBe(0);
    expect(v.out()).toBe(`benchbook ${(JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version}\n`);
  });

  it('counts the missing browser as one warning in its summary', async () => {
    const saved = process.env['BENCHBOOK_CHROME'];
    process.env['BENCHBOOK_CHROME'] = join(root, 'no-such-browser');
    try {
      const c = capture();
      expect(await main(['build', root], c.io)).toBe(0);
      expect(c.err()).toBe(`warning [no-browser] no Chromium/Chrome found for PDFs: install one (Debian/Ubuntu: apt-get install chromium) or set BENCHBOOK_CHROME to its path; everything else was built\n`);
      expect(c.out()).toMatch(/; 0 errors, 1 warning; /);
    } finally {
      if (saved === undefined) delete process.env['BENCHBOOK_CHROME'];
      else process.env['BENCHBOOK_CHROME'] = saved;
    }
  }, 60_000);
});

describe('benchbook watch', () => {
  it('builds, then builds again when an artifact changes, and stops on the signal', async () => {
    const c = capture();
    const stop = new AbortController();
    const running = watch([root, '--no-pdf'], c.io, stop.signal, 100);
    const until = async (test: () => boolean) => {
      for (let i = 0; i < 300 && !test(); i++) await new Promise((r) => setTimeout(r, 50));
      expect(test()).toBe(true);
    };
    await until(() => c.out().includes('watching'));
    expect(c.out()).toMatch(/1 rendered/);
    const file = join(root, 'artifacts', ID, 'vllm_bench_serve_tp2.txt');
    writeFileSync(file, readFileSync(file, 'utf8').replace('570.52', '575.00'));
    await until(() => (c.out().match(/^benchbook: 1 experiment/gm) ?? []).length === 2);
    expect(c.out()).toContain('change seen, building');
    expect(readFileSync(join(root, 'reports', `${ID}.en.md`), 'utf8')).toContain('575');
    stop.abort();
    expect(await running).toBe(0);
  }, 60_000);
});
