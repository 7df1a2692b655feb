// The command, run by bin/benchbook.cjs once the thread pool is sized.
import { ensureCompiled } from './compile.js';

// In a checkout, dist/ is brought up to date with src/ first (a no-op when nothing changed).
const compiled = ensureCompiled();
if (compiled !== 0) {
  process.stderr.write('benchbook: the TypeScript sources do not compile (see above)\n');
  process.exit(2);
}
const { main } = await import('../dist/src/cli/main.js');
process.exitCode = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });
