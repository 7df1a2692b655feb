/**
 * The build cache: a build with nothing changed renders and writes nothing; a change in one
 * experiment renders that experiment (its reports, charts, site pages) and what lists every
 * experiment (README pair, site index), nothing else; and what the cache gives is byte for byte
 * what a build without it gives.
 */
import { createHash } from 'node:crypto';
import { chmodSync, cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build, renderAll } from '../../src/build.js';
import { artifactsDir, repoRoot } from '../helpers/files.js';

const A = 'l40x4_gpt_oss_120b_20251103';
const B = 'qwen2_5_vl_72b_fp8_vllm_bench_20251222';
let root: string;

function files(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name));
      else out.push(relative(root, join(d, e.name)));
    }
  };
  walk(dir);
  return out.sort();
}

/** Output files (not the cache, not the artifacts) with their mtimes. */
function outputs(): Map<string, number> {
  const m = new Map<string, number>();
  for (const d of ['reports', 'images', 'site']) for (const f of files(join(root, d))) m.set(f, statSync(join(root, f)).mtimeMs);
  for (const f of ['README.md', 'README.en.md']) m.set(f, statSync(join(root, f)).mtimeMs);
  return m;
}

function changed(before: Map<string, number>, after: Map<string, number>): string[] {
  return [...after.keys()].filter((k) => before.get(k) !== after.get(k)).sort();
}

/** Builds, and checks the build wrote, removed and touched no output. */
async function buildTouchingNothing(options: Parameters<typeof build>[1] = { pdf: 'skip' }): Promise<Awaited<ReturnType<typeof build>>> {
  const before = outputs();
  const result = await build(root, options);
  expect(result.written.written).toEqual([]);
  expect(result.written.removed).toEqual([]);
  expect(changed(before, outputs())).toEqual([]);
  return result;
}

/** The build's outputs equal, byte for byte, what a build without any cache makes of the same artifacts. */
async function expectSameAsUncached(): Promise<void> {
  const fresh = await renderAll(root);
  for (const [path, content] of fresh.outputs) expect(readFileSync(join(root, path)).equals(content), path).toBe(true);
  const produced = [...fresh.outputs.keys()].filter((p) => !p.startsWith('site/pdf/'));
  expect(new Set([...outputs().keys()].filter((p) => !p.startsWith('site/pdf/')))).toEqual(new Set(produced));
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'benchbook-incremental-'));
  for (const id of [A, B]) {
    cpSync(join(artifactsDir, id), join(root, 'artifacts', id), { recursive: true });
    chmodSync(join(root, 'artifacts', id), 0o755);
    for (const f of readdirSync(join(root, 'artifacts', id))) chmodSync(join(root, 'artifacts', id, f), 0o644);
  }
  const first = await build(root, { pdf: 'skip' });
  expect(first.stats.rendered).toBe(2);
}, 60_000);

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('incremental build', () => {
  it('with nothing changed renders nothing and writes nothing', async () => {
    const again = await buildTouchingNothing();
    expect(again.noop).toBe(true);
    expect(again.stats.rendered).toBe(0);
    expect(again.written.unchanged.length).toBe(outputs().size);
  }, 30_000);

  it('knows files by content: a touched but identical file changes nothing', async () => {
    const file = join(root, 'artifacts', A, 'vllm_bench_serve_tp2.txt');
    utimesSync(file, new Date(), new Date(Date.now() + 5000));
    const again = await buildTouchingNothing();
    expect(again.stats.rendered).toBe(0);
  }, 30_000);

  it('knows outputs by content: in a copy elsewhere (a fresh checkout with the cache and site/ CI restored: new inodes, new times) it renders and writes nothing, and an experiment added there is the only one rendered', async () => {
    const copy = mkdtempSync(join(tmpdir(), 'benchbook-checkout-'));
    try {
      cpSync(root, copy, { recursive: true });
      const report = `reports/${A}.en.md`;
      expect(statSync(join(copy, report)).ino).not.toBe(statSync(join(root, report)).ino);
      const first = await build(copy, { pdf: 'skip' });
      expect([first.stats.rendered, first.stats.pages, first.stats.framed]).toEqual([0, 0, 0]);
      expect([first.written.written, first.written.removed]).toEqual([[], []]);
      // The new stamps were recorded: the next build needs no file read to know nothing changed.
      const second = await build(copy, { pdf: 'skip' });
      expect([second.noop, second.stats.bytesRead]).toEqual([true, 0]);
      const C = 'qwen3_32b_vllm_bench_20251222';
      cpSync(join(artifactsDir, C), join(copy, 'artifacts', C), { recursive: true });
      const added = await build(copy, { pdf: 'skip' });
      expect([added.stats.rendered, added.stats.pages, added.stats.framed]).toEqual([1, 2, 4]);
      // A copied output edited by hand is still told from the recorded one.
      writeFileSync(join(copy, report), 'edited by hand\n');
      const edited = await build(copy, { pdf: 'skip' });
      expect(edited.stats.rendered).toBe(1);
      expect(readFileSync(join(copy, report)).equals(readFileSync(join(root, report)))).toBe(true);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  }, 90_000);

  it('renders again only the experiment that changed, and what lists every experiment', async () => {
    const file = join(root, 'artifacts', A, 'vllm_bench_serve_tp2.txt');
    writeFileSync(file, readFileSync(file, 'utf8').replace('570.52', '571.25'));
    const before = outputs();
    const again = await build(root, { pdf: 'skip' });
    expect(again.stats.rendered).toBe(1);
    const touched = changed(before, outputs());
    // Its reports and site pages changed; no file of the other experiment was touched.
    expect(touched).toEqual(expect.arrayContaining([`reports/${A}.en.md`, `reports/${A}.zh.md`, `site/${A}.en.html`, `site/${A}.zh.html`]));
    for (const f of touched) expect(f, f).toMatch(new RegExp(`^(reports/${A}\\.|images/${A}-|site/${A}\\.|README(\\.en)?\\.md$|site/index(\\.en)?\\.html$)`));
    expect(readFileSync(join(root, 'reports', `${A}.en.md`), 'utf8')).toContain('571.25');
    await expectSameAsUncached();
  }, 60_000);

  it('draws the charts of a changed experiment with the chart font the last build kept, and the PNGs are the same', async () => {
    const fonts = await import('../../src/pipeline/fonts.js');
    const keptFile = join(root, '.benchbook-cache', 'chart-font.json');
    const kept = JSON.parse(readFileSync(keptFile, 'utf8')) as { key: string; chars: string };
    expect(kept.chars).toContain('吞');
    // The kept font made to hold characters no chart here shows: more than a fresh subset would.
    const extra = '龘鬱鑫';
    const chars = [...new Set(kept.chars + extra)].sort().join('');
    const ttf = await fonts.fontSubset(chars);
    writeFileSync(keptFile, JSON.stringify({ key: kept.key, chars, ttf: ttf.toString('base64'), sha256: createHash('sha256').update(ttf).digest('hex') }));
    fonts.forgetChartFont(); // as a new process starts: no font of its own yet
    const file = join(root, 'artifacts', A, 'vllm_bench_serve_tp2.txt');
    writeFileSync(file, readFileSync(file, 'utf8').replace('571.25', '571.5'));
    const again = await build(root, { pdf: 'skip' });
    expect(again.stats.rendered).toBe(1);
    expect(again.stats.charts).toBeGreaterThan(0);
    // Drawn from the kept font: no new subset was needed, so the kept one was not replaced.
    expect((JSON.parse(readFileSync(keptFile, 'utf8')) as { chars: string }).chars).toBe(chars);
    fonts.forgetChartFont(); // the build without a cache cuts a subset of its own characters
    await expectSameAsUncached();
  }, 60_000);

  it('a kept chart font that is not as it was written is not used', async () => {
    const { BuildCache } = await import('../../src/cache.js');
    const keptFile = join(root, '.benchbook-cache', 'chart-font.json');
    const kept = JSON.parse(readFileSync(keptFile, 'utf8')) as { key: string; ttf: string };
    const cache = await BuildCache.load(root, '');
    expect(await cache.loadChartFont(kept.key)).not.toBeNull();
    expect(await cache.loadChartFont('another key')).toBeNull();
    writeFileSync(keptFile, JSON.stringify({ ...kept, ttf: Buffer.from('not a font').toString('base64') }));
    expect(await cache.loadChartFont(kept.key)).toBeNull();
    writeFileSync(keptFile, '{"key":');
    expect(await cache.loadChartFont(kept.key)).toBeNull();
    rmSync(keptFile);
  });

  it('adding an experiment renders only it: the other pages get the new sidebar around their kept <main>', async () => {
    const C = 'qwen3_32b_vllm_bench_20251222';
    cpSync(join(artifactsDir, C), join(root, 'artifacts', C), { recursive: true });
    try {
      const before = outputs();
      const again = await build(root, { pdf: 'skip' });
      expect(again.stats.rendered).toBe(1);
      // Its two pages made; the four of A and B framed again (their sidebar lists C), not made.
      expect([again.stats.pages, again.stats.framed]).toEqual([2, 4]);
      const touched = changed(before, outputs());
      // Besides C's own files: every site page (its sidebar), the README pair, and the site font (C's new characters).
      for (const f of touched) expect(f, f).toMatch(new RegExp(`^(reports/${C}\\.|images/${C}-|site/[^/]+\\.html$|site/assets/font\\.ttf$|README(\\.en)?\\.md$)`));
      expect(readFileSync(join(root, 'site', `${A}.en.html`), 'utf8')).toContain(`href="${C}.en.html"`);
      await expectSameAsUncached();
    } finally {
      rmSync(join(root, 'artifacts', C), { recursive: true });
    }
    const removed = await build(root, { pdf: 'skip' });
    expect([removed.stats.rendered, removed.stats.pages, removed.stats.framed]).toEqual([0, 0, 4]);
    await expectSameAsUncached();
  }, 60_000);

  it('renders again an output edited or deleted by hand', async () => {
    const report = join(root, 'reports', `${B}.en.md`);
    const good = readFileSync(report);
    writeFileSync(report, 'edited by hand\n');
    const png = files(join(root, 'images')).find((f) => f.includes(B)) as string;
    rmSync(join(root, png));
    const again = await build(root, { pdf: 'skip' });
    expect(again.stats.rendered).toBe(1);
    expect(again.written.written).toEqual(expect.arrayContaining([`reports/${B}.en.md`, png]));
    expect(readFileSync(report).equals(good)).toBe(true);
  }, 60_000);

  it('copes with a cache that lost what the site pages are made from', async () => {
    rmSync(join(root, '.benchbook-cache', 'pages'), { recursive: true });
    rmSync(join(root, 'site', `${A}.en.html`));
    const again = await build(root, { pdf: 'skip' });
    expect(again.stats.rendered).toBe(1);
    expect(again.written.written).toContain(`site/${A}.en.html`);
    await expectSameAsUncached();
    // An unreadable index is no cache at all: everything is rendered, nothing changes on disk.
    writeFileSync(join(root, '.benchbook-cache', 'index.json'), '{"format": 1, "trunc');
    const fresh = await buildTouchingNothing();
    expect(fresh.stats.rendered).toBe(2);
  }, 60_000);

  it('renders everything again when a template changes', async () => {
    cpSync(join(repoRoot, 'templates'), join(root, 'templates'), { recursive: true });
    // The English locale overrides the shared report template with its own.
    const tpl = join(root, 'templates', 'en', 'report.md.hbs');
    writeFileSync(tpl, `${readFileSync(join(root, 'templates', 'report.md.hbs'), 'utf8')}\nTemplate changed.\n`);
    const again = await build(root, { pdf: 'skip' });
    expect(again.stats.rendered).toBe(2);
    expect(readFileSync(join(root, 'reports', `${A}.en.md`), 'utf8')).toContain('Template changed.');
    await expectSameAsUncached();
    rmSync(join(root, 'templates'), { recursive: true });
  }, 60_000);

  it('removes the outputs of an experiment that is gone, and forgets it', async () => {
    rmSync(join(root, 'artifacts', B), { recursive: true });
    const again = await build(root, { pdf: 'skip' });
    expect(again.stats.experiments).toBe(1);
    expect(again.written.removed).toEqual(expect.arrayContaining([`reports/${B}.en.md`, `reports/${B}.zh.md`, `site/${B}.en.html`]));
    expect(files(join(root, 'images')).some((f) => f.includes(B))).toBe(false);
    const index = JSON.parse(readFileSync(join(root, '.benchbook-cache', 'index.json'), 'utf8')) as { experiments: Record<string, unknown> };
    expect(Object.keys(index.experiments)).toEqual([A]);
    await expectSameAsUncached();
  }, 60_000);

  it('the README pair links docs/benchbook.md rather than holding it: adding it rewrites only the README pair, editing it nothing', async () => {
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(root, 'docs'), { recursive: true });
    writeFileSync(join(root, 'docs', 'benchbook.md'), '# Our benchmarks\n\nHow we run them.\n');
    const before = outputs();
    const again = await build(root, { pdf: 'skip' });
    expect(again.stats.rendered).toBe(0);
    expect(changed(before, outputs())).toEqual(['README.en.md', 'README.md']);
    expect(readFileSync(join(root, 'README.md'), 'utf8')).toContain('](docs/benchbook.md)');
    expect(readFileSync(join(root, 'README.md'), 'utf8')).not.toContain('How we run them.');
    const linked = outputs();
    writeFileSync(join(root, 'docs', 'benchbook.md'), '# Our benchmarks\n\nHow we run them, now with more words.\n');
    await build(root, { pdf: 'skip' });
    expect(changed(linked, outputs())).toEqual([]);
    rmSync(join(root, 'docs'), { recursive: true });
    await build(root, { pdf: 'skip' });
  }, 60_000);

  it('--no-cache renders everything and gives the same files', async () => {
    const again = await buildTouchingNothing({ pdf: 'skip', cache: false });
    expect(again.stats.rendered).toBe(1);
  }, 60_000);
});
