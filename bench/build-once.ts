/**
 * One build in its own process, for the benchmark: `node dist/bench/build-once.js ROOT auto|skip`.
 * Prints one JSON line: the build's statistics and timings, and the process's peak RSS.
 */
import { build, type PdfMode } from '../src/build.js';

const [root, mode] = process.argv.slice(2);
if (!root) throw new Error('usage: build-once ROOT [auto|require|skip]');
const t0 = performance.now();
const r = await build(root, { pdf: (mode ?? 'skip') as PdfMode });
process.stdout.write(
  JSON.stringify({
    ms: performance.now() - t0,
    noop: r.noop,
    stats: r.stats,
    timings: r.timings,
    files: r.files,
    written: r.written.written.length,
    unchanged: r.written.unchanged.length,
    pdf: { count: r.pdf.count, made: r.pdf.made, msPerPdf: r.pdf.msPerPdf, launchMs: r.pdf.launchMs },
    errors: r.messages.filter((m) => m.severity === 'error').length,
    maxRssMiB: process.resourceUsage().maxRSS / 1024,
  }) + '\n',
);
