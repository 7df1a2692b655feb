/**
 * The layers' import boundaries (docs/architecture.md): rendering is pure, stages below the pipeline
 * never reach up, the cache knows only the products. Every import counts, type-only ones too.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, posix, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const src = join(dirname(fileURLToPath(import.meta.url)), '..', 'src');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : n.endsWith('.ts') ? [p] : [];
  });
}

/** What a module imports: a package or node: name as written, a module of ours as its path under src/ ('render/html/site.ts'). */
export function importsOf(path: string, text = readFileSync(path, 'utf8')): string[] {
  const out = new Set<string>();
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  for (const m of code.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"]*?\bfrom\s*['"]([^'"]+)['"]|\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)|(?:^|\n)\s*import\s*['"]([^'"]+)['"]|declare module ['"]([^'"]+)['"]/g)) {
    const spec = m[1] ?? m[2] ?? m[3] ?? m[4];
    if (!spec) continue;
    if (!spec.startsWith('.')) out.add(spec);
    else out.add(posix.normalize(posix.join(posix.dirname(relative(src, path).split('\\').join('/')), spec)).replace(/\.js$/, '.ts'));
  }
  return [...out];
}

const all = files(src).map((p) => ({ file: relative(src, p).split('\\').join('/'), imports: importsOf(p) }));

/** Modules under `prefix` (a folder with '/', or a file) and what each imports that `bad` rejects. */
function crossings(prefix: string, bad: (imported: string) => boolean): string[] {
  return all.filter((m) => m.file === prefix || m.file.startsWith(prefix)).flatMap((m) => m.imports.filter(bad).map((i) => `${m.file} → ${i}`));
}

const under = (...folders: string[]) => (i: string) => folders.some((f) => i === f || i.startsWith(f));
const FS = ['node:fs', 'node:fs/promises', 'fs', 'fs/promises', 'node:child_process', 'node:worker_threads', 'node:os'];

describe('import boundaries', () => {
  it('the scanner sees static, re-exported, type-only and dynamic imports', () => {
    const text = "import type { A } from './a.js';\nexport { b } from '../b.js';\nconst c = await import('./c/d.js');\nimport 'node:fs';\n// import { x } from './commented.js';\n";
    expect(importsOf(join(src, 'render', 'x.ts'), text).sort()).toEqual(['b.ts', 'node:fs', 'render/a.ts', 'render/c/d.ts']);
  });

  it('rendering is pure: no disk, no parsing, no pipeline', () => {
    expect(crossings('render/', (i) => FS.includes(i) || under('scan/', 'parse/', 'pipeline/', 'write/', 'cache.ts', 'config.ts', 'build.ts')(i))).toEqual([]);
  });

  it('the cache imports only the products (and the atomic writer, and the pure hash)', () => {
    const ours = all.find((m) => m.file === 'cache.ts')?.imports.filter((i) => i.endsWith('.ts'));
    expect(ours?.sort()).toEqual(['hash.ts', 'products.ts', 'write/write.ts']);
  });

  it('the stages below the pipeline never reach up', () => {
    const up = under('pipeline/', 'build.ts', 'cli/', 'cache.ts');
    for (const layer of ['scan/', 'parse/', 'assemble/', 'render/', 'write/']) expect(crossings(layer, up), layer).toEqual([]);
    expect(crossings('parse/', under('render/', 'assemble/', 'scan/')), 'parse').toEqual([]);
    expect(crossings('assemble/', (i) => FS.includes(i) || under('render/', 'scan/', 'parse/')(i)), 'assemble').toEqual([]);
  });

  it('the shared modules depend on nothing of the stages', () => {
    for (const f of ['model.ts', 'products.ts', 'layout.ts', 'messages.ts', 'hash.ts']) {
      expect(crossings(f, (i) => i.endsWith('.ts') && !['model.ts', 'products.ts'].includes(i)), f).toEqual([]);
    }
  });

  it('only the layout module spells output folders', () => {
    const spelled = all
      .filter((m) => m.file !== 'layout.ts' && !m.file.startsWith('cli/'))
      .flatMap((m) => {
        const code = readFileSync(join(src, m.file), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
        return [...code.matchAll(/['"`](?:\.\.\/)?(?:reports|images|site)\/[^'"`]*['"`]|['"`]README(?:\.\$\{[^}]+\})?\.md['"`]/g)].map((x) => `${m.file}: ${x[0]}`);
      });
    expect(spelled).toEqual([]);
  });
});
