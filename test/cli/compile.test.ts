/**
 * bin/compile.js: `npm run build` compiles only when a source changed. Exercised on a tiny project
 * laid out like this one (its own src/, tsconfig files and package.json, this repository's TypeScript).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/files.js';

const root = mkdtempSync(join(tmpdir(), 'benchbook-compile-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function compile(): { status: number | null; stderr: string } {
  const r = spawnSync(process.execPath, [join(root, 'bin', 'compile.js')], { encoding: 'utf8' });
  return { status: r.status, stderr: r.stderr };
}

describe('compile on change', () => {
  it('compiles a fresh checkout, skips an unchanged one, and compiles again after an edit', () => {
    mkdirSync(join(root, 'bin'));
    mkdirSync(join(root, 'src'));
    cpSync(join(repoRoot, 'bin', 'compile.js'), join(root, 'bin', 'compile.js'));
    symlinkSync(join(repoRoot, 'node_modules'), join(root, 'node_modules'));
    writeFileSync(join(root, 'package.json'), JSON.stringify({ type: 'module' }));
    writeFileSync(join(root, 'tsconfig.json'), JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, rootDir: '.', outDir: 'dist', types: [] } }));
    writeFileSync(join(root, 'tsconfig.build.json'), JSON.stringify({ extends: './tsconfig.json', include: ['src'] }));
    const source = join(root, 'src', 'answer.ts');
    const out = join(root, 'dist', 'src', 'answer.js');
    writeFileSync(source, 'export const answer: number = 41;\n');

    const first = compile();
    expect(first.status).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain('41');

    // Nothing changed: tsc does not run (it would rewrite the output).
    writeFileSync(out, '// kept\n');
    expect(compile().status).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe('// kept\n');

    // An edit that keeps the file's size compiles again: its mtime is part of the signature.
    writeFileSync(source, 'export const answer: number = 42;\n');
    const t = new Date(Date.now() + 5000);
    utimesSync(source, t, t);
    expect(compile().status).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain('42');

    // A source that does not compile fails, and is tried again next time.
    writeFileSync(source, 'export const answer: number = "forty-two";\n');
    expect(compile().status).not.toBe(0);
    expect(compile().status).not.toBe(0);
  }, 60_000);
});
