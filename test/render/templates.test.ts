/**
 * The report's structure exists once (templates/report.md.hbs, readme.md.hbs, partials/); a locale
 * is its words (templates/<locale>/words.json) and chart/site strings, nothing more.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { renderAll } from '../../src/build.js';
import { artifactsDir, repoRoot } from '../helpers/files.js';

const templates = join(repoRoot, 'templates');
const LOCALES = ['zh', 'en'];
const words = (l: string) => JSON.parse(readFileSync(join(templates, l, 'words.json'), 'utf8')) as Record<string, string>;
const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

function templateTexts(): string[] {
  const partials = join(templates, 'partials');
  return [join(templates, 'report.md.hbs'), join(templates, 'readme.md.hbs'), ...readdirSync(partials).map((f) => join(partials, f))].map((f) => readFileSync(f, 'utf8'));
}

describe('one report structure, words per locale', () => {
  it('no locale keeps a copy of the structure', () => {
    for (const l of LOCALES) expect(readdirSync(join(templates, l)).sort()).toEqual(['strings.json', 'words.json']);
  });

  it('every locale has every word, with the same placeholders', () => {
    const [first, ...rest] = LOCALES.map(words);
    for (const other of rest) {
      expect(Object.keys(other ?? {}).sort()).toEqual(Object.keys(first ?? {}).sort());
      for (const [k, v] of Object.entries(first ?? {})) expect(placeholders(other?.[k] ?? ''), k).toEqual(placeholders(v));
    }
  });

  it('every locale says why each runtime dependency in package.json is there', () => {
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    for (const l of LOCALES) {
      const list = words(l)['readme.dependencies.list'] ?? '';
      for (const dep of Object.keys(pkg.dependencies)) expect(list, `${l}: ${dep}`).toContain(`\`${dep}\``);
      // Each item starts with the packages it is about.
      const named = list.split('\n').flatMap((item) => [.../^- ((?:`[^`]+`(?:、|, )?)+)/.exec(item)?.[1]?.matchAll(/`([^`]+)`/g) ?? []].map((m) => m[1] as string));
      for (const n of named) expect(Object.keys(pkg.dependencies), `${l} names ${n}, not a dependency`).toContain(n);
    }
  });

  it('every word the templates ask for by name exists', () => {
    const keys = new Set(templateTexts().flatMap((t) => [...t.matchAll(/\{\{t "([^"]+)"(?=\}\}|\s+\w+=)/g)].map((m) => m[1] as string)));
    expect(keys.size).toBeGreaterThan(100);
    for (const l of LOCALES) for (const k of keys) expect(words(l), `${l}: ${k}`).toHaveProperty([k]);
  });

  it('every experiment.yaml fact key benchbook knows has words in every locale', async () => {
    const { KNOWN_FACTS } = await import('../../src/render/markdown/view.js');
    for (const l of LOCALES) for (const k of KNOWN_FACTS) expect(words(l), `${l}: fact.${k}`).toHaveProperty([`fact.${k}`]);
  });

  describe('a third locale', () => {
    const root = mkdtempSync(join(tmpdir(), 'benchbook-locale-'));
    afterAll(() => rmSync(root, { recursive: true, force: true }));

    it('is its words and strings: reports and README in it, the same structure as English', async () => {
      const id = 'qwen3_32b_vllm_bench_20251222';
      cpSync(join(artifactsDir, id), join(root, 'artifacts', id), { recursive: true });
      cpSync(templates, join(root, 'templates'), { recursive: true });
      const mark = (o: Record<string, string>) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, k === 'locale.name' ? 'Français' : v.replace(/[A-Za-z]+/, (w) => `«${w}»`)]));
      const fr = join(root, 'templates', 'fr');
      cpSync(join(templates, 'en'), fr, { recursive: true });
      for (const f of ['words.json', 'strings.json']) writeFileSync(join(fr, f), JSON.stringify(mark(JSON.parse(readFileSync(join(fr, f), 'utf8')) as Record<string, string>)));
      writeFileSync(join(root, 'benchbook.config.json'), JSON.stringify({ locales: ['en', 'fr'], defaultLocale: 'en' }));
      const r = await renderAll(root);
      const en = r.outputs.get(`reports/${id}.en.md`)?.toString() ?? '';
      const frReport = r.outputs.get(`reports/${id}.fr.md`)?.toString() ?? '';
      expect(frReport).toContain('## «Summary»');
      expect(frReport).toContain('[English](');
      expect(en).toContain('[Français](');
      expect(r.outputs.get('README.fr.md')?.toString()).toContain('# «LLM»');
      // Same sections, tables and charts: the headings and table shapes match line for line.
      const shape = (md: string) =>
        md
          .split('\n')
          .filter((l) => /^#|^\|[-|: ]+\|$|^!\[/.test(l))
          .map((l) => (l.startsWith('#') ? (/^#+/.exec(l)?.[0] ?? '') : l.startsWith('![') ? '![]' : l));
      expect(shape(frReport)).toEqual(shape(en));
    }, 60_000);
  });
});
