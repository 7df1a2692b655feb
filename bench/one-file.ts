/**
 * The work done the way it is often scripted by hand, for the benchmark's comparison: one process
 * per file, each loading the libraries afresh.
 *   node dist/bench/one-file.js chart SPEC.json OUT.png   Vega-Lite spec → SVG → PNG (own font subset)
 *   node dist/bench/one-file.js page REPORT.md OUT.html   Markdown → HTML page
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [mode, input, output] = process.argv.slice(2);
if (!mode || !input || !output) throw new Error('usage: one-file chart|page INPUT OUTPUT');
if (mode === 'chart') {
  const { svgText, toPng, toSvg } = await import('../src/render/charts/render.js');
  const { fontSubset } = await import('../src/pipeline/fonts.js');
  const svg = await toSvg(JSON.parse(readFileSync(input, 'utf8')));
  const dir = mkdtempSync(join(tmpdir(), 'benchbook-one-'));
  try {
    writeFileSync(join(dir, 'font.ttf'), await fontSubset(svgText(svg)));
    writeFileSync(output, toPng(svg, join(dir, 'font.ttf')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
} else {
  const { markdownProcessor } = await import('../src/render/html/markdown.js');
  const { page } = await import('../src/render/html/layout.js');
  const processor = markdownProcessor({ page: () => null, chart: () => null, contents: 'Contents' });
  const body = String(processor.processSync(readFileSync(input, 'utf8')));
  writeFileSync(output, page({ lang: 'en', title: input, body, nav: [], indexHref: 'index.html', indexLabel: 'Index', languages: [] }));
}
