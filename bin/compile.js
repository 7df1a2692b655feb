/**
 * Keeps dist/ in step with the TypeScript sources, compiling only when they changed.
 *
 * The signature of what the compiler reads (every file under src/ and bench/, the tsconfig files and
 * package.json: path, size, mtime) is kept in dist/.sources; when it still matches, nothing runs,
 * which costs a few milliseconds. Installed from the registry (no src/ beside dist/), this does nothing.
 *
 *   node bin/compile.js          compile when the sources changed
 *   node bin/compile.js --force  compile anyway
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const STAMP = join(root, 'dist', '.sources');
const INPUTS = ['src', 'bench', 'tsconfig.json', 'tsconfig.build.json', 'package.json'];

function signature() {
  const h = createHash('sha256');
  const visit = (path) => {
    const st = statSync(path, { throwIfNoEntry: false });
    if (!st) return;
    if (st.isDirectory()) {
      for (const name of readdirSync(path).sort()) visit(join(path, name));
      return;
    }
    h.update(`${relative(root, path)}\u0000${st.size}\u0000${st.mtimeMs}\n`);
  };
  for (const p of INPUTS) visit(join(root, p));
  return h.digest('hex');
}

/** Compiles src/ and bench/ into dist/ unless dist/ was made from exactly these sources. Returns tsc's exit code (0 when skipped). */
export function ensureCompiled({ force = false, quiet = false } = {}) {
  if (!existsSync(join(root, 'src')) || !existsSync(join(root, 'tsconfig.build.json'))) return 0;
  const sig = signature();
  if (!force && existsSync(STAMP) && readFileSync(STAMP, 'utf8') === sig) return 0;
  if (!quiet) process.stderr.write('benchbook: sources changed, compiling\n');
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const r = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { cwd: root, stdio: 'inherit' });
  const code = r.status ?? 1;
  if (code === 0) {
    mkdirSync(dirname(STAMP), { recursive: true });
    writeFileSync(STAMP, sig);
  }
  return code;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.exitCode = ensureCompiled({ force: process.argv.includes('--force'), quiet: true });
}
