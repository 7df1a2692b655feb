// The site and PDFs, driven through real headless Chromium. Needs a browser (CI installs Debian's
// chromium); without one these tests are reported as skipped, never as passed.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build, type BuildResult } from '../src/build.js';
import { findBrowser, launchBrowser } from '../src/write/pdf.js';
import { artifactsDir, repoRoot } from './helpers/files.js';

const executable = findBrowser();
const EVIL = '<img src=x onerror=alert(1)>';

describe.skipIf(executable === null)('the built site in Chromium', () => {
  const root = mkdtempSync(join(tmpdir(), 'benchbook-site-'));
  const site = join(root, 'site');
  let result: BuildResult;
  let browser: Browser;
  let close: () => Promise<void>;
  let server: Server;
  let base = '';

  beforeAll(async () => {
    cpSync(artifactsDir, join(root, 'artifacts'), { recursive: true });
    const evil = join(root, 'artifacts', 'evil_20250101');
    mkdirSync(evil);
    const bench = JSON.parse(readFileSync(join(artifactsDir, 'qwen3_32b_vllm_bench_20251222', 'bench_fp8_1gpu_c16_r64_mt256.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(evil, 'bench_x_1gpu.json'), JSON.stringify({ ...bench, model: EVIL }));
    writeFileSync(join(evil, 'bench_y_1gpu.json'), JSON.stringify({ ...bench, model: 'plain/model' }));
    writeFileSync(join(evil, 'notes.en.md'), `Notes ${EVIL} <script>alert(2)</script>\n`);
    writeFileSync(join(root, 'benchbook.config.json'), JSON.stringify({ siteUrl: 'https://example.org/benchbook' }));
    result = await build(root, { pdf: 'require' });
    ({ browser, close } = await launchBrowser(executable as string));
    server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (!url.pathname.startsWith('/benchbook/')) {
        res.writeHead(404).end();
        return;
      }
      let path = normalize(join(site, decodeURIComponent(url.pathname.slice('/benchbook/'.length))));
      if (!path.startsWith(site)) {
        res.writeHead(403).end();
        return;
      }
      if (existsSync(path) && statSync(path).isDirectory()) path = join(path, 'index.html');
      if (!existsSync(path)) {
        res.writeHead(404).end();
        return;
      }
      const types: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.ttf': 'font/ttf', '.pdf': 'application/pdf' };
      res.writeHead(200, { 'content-type': types[extname(path)] ?? 'application/octet-stream' }).end(readFileSync(path));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const address = server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/benchbook/`;
  }, 120_000);

  afterAll(async () => {
    await close?.();
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
    rmSync(root, { recursive: true, force: true });
  });

  const pages = () => readdirSync(site).filter((f) => f.endsWith('.html')).sort();

  async function visit(url: string) {
    const page: Page = await browser.newPage();
    const problems: string[] = [];
    const external: string[] = [];
    const dialogs: string[] = [];
    page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
    page.on('pageerror', (e) => problems.push(`page error: ${String(e)}`));
    page.on('requestfailed', (r) => problems.push(`failed: ${r.url()}`));
    page.on('request', (r) => {
      const u = r.url();
      if (!u.startsWith('file:') && !u.startsWith('data:') && !u.startsWith('http://127.0.0.1')) external.push(u);
    });
    page.on('dialog', async (d) => {
      dialogs.push(d.message());
      await d.dismiss();
    });
    const response = await page.goto(url, { waitUntil: 'networkidle0' });
    if (response && !url.startsWith('file:')) expect(response.status(), url).toBe(200);
    const targets = await page.$$eval('a[href], img[src], link[href]', (els) =>
      els.map((e) => {
        const el = e as unknown as { href?: string; src?: string };
        return el.href || el.src || '';
      }),
    );
    const ids = new Set(await page.$$eval('[id]', (els) => els.map((e) => e.id)));
    const broken = await page.$$eval('img', (imgs) => imgs.filter((i) => !i.complete || i.naturalWidth === 0).map((i) => i.src));
    return { page, problems, external, dialogs, targets, ids, broken };
  }

  async function checkTarget(from: string, target: string, ids: Set<string>): Promise<string | null> {
    const u = new URL(target);
    if (u.protocol === 'data:') return null; // inline, no request
    const same = u.href.split('#')[0] === from.split('#')[0];
    if (same && u.hash) return ids.has(decodeURIComponent(u.hash.slice(1))) ? null : `missing anchor ${u.hash}`;
    if (u.protocol === 'file:') return existsSync(fileURLToPath(u.href.split('#')[0] as string)) ? null : `missing file ${u.pathname}`;
    if (u.origin === new URL(base).origin) return (await fetch(u.href.split('#')[0] as string)).status === 200 ? null : `HTTP error ${u.href}`;
    return `leaves the site: ${u.href}`;
  }

  it.each(['file', 'http'])('every page loads cleanly with working links, offline (%s)', async (mode) => {
    expect(pages().length).toBe(2 + 2 * 6);
    for (const name of pages()) {
      const url = mode === 'file' ? pathToFileURL(join(site, name)).href : `${base}${name}`;
      const r = await visit(url);
      try {
        expect(r.problems, name).toEqual([]);
        expect(r.external, name).toEqual([]);
        expect(r.dialogs, name).toEqual([]);
        expect(r.broken, name).toEqual([]);
        for (const t of r.targets) expect(await checkTarget(url, t, r.ids), `${name} → ${t}`).toBeNull();
        const fontOk = await r.page.evaluate('document.fonts.check("16px \\"Noto Sans SC\\"", "中文")');
        expect(fontOk, name).toBe(true);
      } finally {
        await r.page.close();
      }
    }
  }, 120_000);

  it('fits every page at 390, 768 and 1280 px: nothing scrolls sideways but a table or code in its own box', async () => {
    const page = await browser.newPage();
    try {
      for (const width of [390, 768, 1280]) {
        await page.setViewport({ width, height: 900 });
        for (const name of pages()) {
          await page.goto(pathToFileURL(join(site, name)).href, { waitUntil: 'load' });
          const scrollWidth = await page.evaluate('document.documentElement.scrollWidth');
          expect(scrollWidth, `${name} at ${width} px`).toBeLessThanOrEqual(width);
        }
      }
      // Narrow, the report list is a folded menu; wide, a sidebar.
      await page.setViewport({ width: 390, height: 900 });
      await page.goto(pathToFileURL(join(site, 'index.html')).href);
      const display = (selector: string) => page.evaluate(`getComputedStyle(document.querySelector(${JSON.stringify(selector)})).display`);
      expect(await display('nav details.menu')).toBe('block');
      expect(await display('nav ul.reports')).toBe('none');
      await page.setViewport({ width: 1280, height: 900 });
      expect(await display('nav details.menu')).toBe('none');
    } finally {
      await page.close();
    }
  }, 180_000);

  it('has no white box larger than a table cell in dark mode, charts included', async () => {
    const page = await browser.newPage();
    try {
      await page.setViewport({ width: 1280, height: 900 });
      await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'dark' }]);
      for (const name of pages()) {
        await page.goto(pathToFileURL(join(site, name)).href, { waitUntil: 'load' });
        // Elements (and SVG shapes) painted near-white over more than a table cell's area (200 × 40 px).
        const white = await page.evaluate(`(() => {
          const light = (c) => {
            const m = /rgba?\\((\\d+), (\\d+), (\\d+)(?:, ([\\d.]+))?\\)/.exec(c);
            return m !== null && +m[1] > 230 && +m[2] > 230 && +m[3] > 230 && (m[4] === undefined || +m[4] > 0.5);
          };
          const out = [];
          for (const el of document.querySelectorAll('body *')) {
            const r = el.getBoundingClientRect();
            if (r.width * r.height < 200 * 40) continue;
            const svg = el instanceof SVGElement;
            if (svg && el.tagName !== 'rect' && el.tagName !== 'path') continue;
            const style = getComputedStyle(el);
            if (light(svg ? style.fill : style.backgroundColor)) out.push(el.tagName + '.' + (el.getAttribute('class') || '') + ' ' + Math.round(r.width) + '×' + Math.round(r.height));
          }
          return out;
        })()`);
        expect(white, name).toEqual([]);
      }
    } finally {
      await page.close();
    }
  }, 120_000);

  it('shows each chart mark\'s value on hover and lists the chart\'s data under it, folded', async () => {
    const page = await browser.newPage();
    try {
      await page.goto(pathToFileURL(join(site, 'qwen3_32b_vllm_bench_20251222.en.html')).href);
      const titles = await page.$$eval('figure.chart svg [role="graphics-symbol"] > title', (ts) => ts.map((t) => t.textContent));
      expect(titles).toContain('NVFP4, output: 606.47');
      const rows = await page.$$eval('figure.chart details.chart-data tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
      expect(rows).toContainEqual(['NVFP4, output', '606.47']);
      expect(await page.evaluate(`document.querySelector('figure.chart details.chart-data').open`)).toBe(false);
    } finally {
      await page.close();
    }
  }, 60_000);

  it('switches language to the twin page', async () => {
    const page = await browser.newPage();
    try {
      await page.goto(`${base}qwen3_32b_vllm_bench_20251222.zh.html`);
      await Promise.all([page.waitForNavigation(), page.click('nav .lang a[href$=".en.html"]')]);
      expect(page.url()).toBe(`${base}qwen3_32b_vllm_bench_20251222.en.html`);
      await Promise.all([page.waitForNavigation(), page.click('nav .lang a[href$=".zh.html"]')]);
      expect(page.url()).toBe(`${base}qwen3_32b_vllm_bench_20251222.zh.html`);
      await page.goto(`${base}index.html`);
      await Promise.all([page.waitForNavigation(), page.click('nav .lang a[href="index.en.html"]')]);
      expect(page.url()).toBe(`${base}index.en.html`);
    } finally {
      await page.close();
    }
  }, 60_000);

  it('shows a hostile model name and notes as text and runs nothing', async () => {
    for (const name of ['evil_20250101.en.html', 'evil_20250101.zh.html', 'index.en.html']) {
      const r = await visit(`${base}${name}`);
      try {
        expect(r.dialogs).toEqual([]);
        expect(await r.page.$$eval('img', (imgs) => imgs.length)).toBe(0);
        expect(await r.page.$$eval('script', (s) => s.length)).toBe(0);
        if (name !== 'index.en.html') expect(await r.page.evaluate('document.body.innerText')).toContain(EVIL);
      } finally {
        await r.page.close();
      }
    }
  }, 60_000);

  it('saves screenshots of the index and a report for a person to look at', async () => {
    const out = join(repoRoot, 'test-output');
    mkdirSync(out, { recursive: true });
    const page = await browser.newPage();
    try {
      for (const [width, scheme] of [[390, 'light'], [768, 'dark']] as const) {
        await page.setViewport({ width, height: 900 });
        await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: scheme }]);
        await page.goto(`${base}qwen3_32b_vllm_bench_20251222.zh.html`, { waitUntil: 'networkidle0' });
        await page.screenshot({ path: join(out, `site-report-${width}-${scheme}.zh.png`) });
      }
      await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'light' }]);
      await page.setViewport({ width: 1280, height: 900 });
      await page.goto(`${base}index.html`, { waitUntil: 'networkidle0' });
      await page.screenshot({ path: join(out, 'site-index.zh.png') });
      await page.goto(`${base}qwen2_5_vl_72b_fp8_vllm_bench_20251222.en.html`, { waitUntil: 'networkidle0' });
      await page.screenshot({ path: join(out, 'site-report.en.png') });
      await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'dark' }]);
      await page.goto(`${base}mxc500_qwen2_5_72b_evalscope_20250215.zh.html`, { waitUntil: 'networkidle0' });
      await page.screenshot({ path: join(out, 'site-report-dark.zh.png') });
    } finally {
      await page.close();
    }
    for (const f of ['site-index.zh.png', 'site-report.en.png', 'site-report-dark.zh.png', 'site-report-390-light.zh.png', 'site-report-768-dark.zh.png']) expect(statSync(join(out, f)).size).toBeGreaterThan(20_000);
  }, 60_000);

  it('writes a PDF per report with the Chinese title as text and the hostile text escaped', () => {
    expect(result.pdf.count).toBe(12);
    const pdfs = readdirSync(join(site, 'pdf')).sort();
    expect(pdfs).toContain('qwen2_5_vl_72b_fp8_vllm_bench_20251222.zh.pdf');
    const havePdftotext = (() => {
      try {
        execFileSync('pdftotext', ['-v'], { stdio: 'ignore' });
        return true;
      } catch {
        return false;
      }
    })();
    expect(havePdftotext, 'pdftotext (poppler-utils) is needed to read the PDFs').toBe(true);
    const zh = execFileSync('pdftotext', [join(site, 'pdf', 'qwen2_5_vl_72b_fp8_vllm_bench_20251222.zh.pdf'), '-'], { encoding: 'utf8' });
    expect(zh).toContain('Qwen2.5-VL-72B FP8 在 RTX Pro 6000 上的 vLLM 吞吐');
    // The raw data is listed, not dumped: each result file with its SHA-256.
    const hash = createHash('sha256').update(readFileSync(join(artifactsDir, 'qwen2_5_vl_72b_fp8_vllm_bench_20251222', 'bench_1gpu_c16_r64_mt256.json'))).digest('hex');
    expect(zh.replace(/\s+/g, '')).toContain(hash);
    expect(zh).not.toContain('260.3688');
    expect(zh).toMatch(/\b1 ?\/ ?\d+/); // page numbers (pdftotext spaces "1 / 9" as the layout falls)
    const evil = execFileSync('pdftotext', [join(site, 'pdf', 'evil_20250101.en.pdf'), '-'], { encoding: 'utf8' });
    expect(evil).toContain('<img src=x onerror=alert(1)>');
  });

  it('prints PDFs a reader can be sent: no link to the build machine, page 1 with the summary and the main chart, contents with true page numbers, within a page budget', () => {
    const pdfText = (file: string, page?: number) =>
      execFileSync('pdftotext', [...(page === undefined ? [] : ['-f', String(page), '-l', String(page)]), join(site, 'pdf', file), '-'], { encoding: 'utf8' });
    const pagesOf = (file: string) => Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [join(site, 'pdf', file)], { encoding: 'utf8' }))?.[1]);
    for (const file of readdirSync(join(site, 'pdf'))) {
      const bytes = readFileSync(join(site, 'pdf', file)).toString('latin1');
      expect(bytes.includes('file:'), `${file}: a file: link`).toBe(false);
      expect(pdfText(file).includes('file://'), `${file}: file:// in its text`).toBe(false);
      // Links to other pages of the site go to the published site (siteUrl of this build).
      for (const uri of bytes.matchAll(/\/URI \(([^)]*)\)/g)) expect(uri[1], file).toMatch(/^https?:\/\//);
    }
    // Budgets: the largest sample report (MXC500, 14 runs) in 12 pages or fewer in each locale.
    const budget: Record<string, number> = { mxc500_qwen2_5_72b_evalscope_20250215: 12, qwen3_32b_vllm_bench_20251222: 8, qwen2_5_vl_72b_fp8_vllm_bench_20251222: 8, l40x4_gpt_oss_120b_20251103: 6, gb10_qwen2_5_14b_fp8_vllm_serve_20260318: 3 };
    for (const [id, most] of Object.entries(budget)) for (const l of ['zh', 'en']) expect(pagesOf(`${id}.${l}.pdf`), `${id}.${l}`).toBeLessThanOrEqual(most);
    for (const [file, summaryFigure, chartTitle] of [
      ['qwen3_32b_vllm_bench_20251222.en.pdf', '606.47', 'Token throughput per run (tokens/s)'],
      ['qwen3_32b_vllm_bench_20251222.zh.pdf', '606.47', '各运行的 token 吞吐（tokens/s）'],
      ['mxc500_qwen2_5_72b_evalscope_20250215.en.pdf', '404.68', 'Token throughput per run (tokens/s)'],
      ['mxc500_qwen2_5_72b_evalscope_20250215.zh.pdf', '404.68', '各运行的 token 吞吐（tokens/s）'],
    ]) {
      const first = pdfText(file as string, 1);
      expect(first, `${file} page 1: summary table`).toContain(summaryFigure);
      expect(first, `${file} page 1: main chart`).toContain(chartTitle);
    }
    // The contents (page 2) list every section with the page it starts on.
    for (const file of ['mxc500_qwen2_5_72b_evalscope_20250215.en.pdf', 'mxc500_qwen2_5_72b_evalscope_20250215.zh.pdf']) {
      const md = readFileSync(join(repoRoot, 'reports', file.replace('.pdf', '.md')), 'utf8');
      const sections = [...md.matchAll(/^## (.+)$/gm)].map((m) => m[1] as string);
      const toc = execFileSync('pdftotext', ['-layout', '-f', '2', '-l', '2', join(site, 'pdf', file), '-'], { encoding: 'utf8' });
      for (const title of sections) {
        const line = toc.split('\n').find((l) => l.trim().startsWith(title));
        expect(line, `${file}: ${title} in the contents`).toBeDefined();
        const page = Number(/(\d+)\s*$/.exec(line ?? '')?.[1]);
        expect(pdfText(file, page).split('\n').map((l) => l.trim()), `${file}: ${title} on page ${page}`).toContain(title);
      }
    }
  });

  it('makes again only the PDFs whose report changed', async () => {
    const again = await build(root, { pdf: 'require' });
    expect([again.noop, again.pdf.made, again.pdf.count]).toEqual([true, 0, 12]);
    const id = 'l40x4_gpt_oss_120b_20251103';
    const file = join(root, 'artifacts', id, 'vllm_bench_serve_tp2.txt');
    chmodSync(join(root, 'artifacts', id), 0o755);
    chmodSync(file, 0o644);
    writeFileSync(file, readFileSync(file, 'utf8').replace('570.52', '571.25'));
    const mtimes = () => new Map(readdirSync(join(site, 'pdf')).map((f) => [f, statSync(join(site, 'pdf', f)).mtimeMs]));
    const before = mtimes();
    const changed = await build(root, { pdf: 'require' });
    expect(changed.stats.rendered).toBe(1);
    expect([changed.pdf.made, changed.pdf.count]).toEqual([2, 12]);
    const after = mtimes();
    expect([...after.keys()].filter((f) => after.get(f) !== before.get(f)).sort()).toEqual([`${id}.en.pdf`, `${id}.zh.pdf`]);
    expect(execFileSync('pdftotext', [join(site, 'pdf', `${id}.en.pdf`), '-'], { encoding: 'utf8' })).toContain('571.25');
    // An experiment added changes every page's sidebar, which print hides. A first repeat of an
    // experiment brings an overview, whose words widen the site font and so reprint every PDF; a
    // second brings no new character: its PDFs and the overview's (which lists it) alone are made.
    const repeat = (id: string) => cpSync(join(artifactsDir, 'qwen3_32b_vllm_bench_20251222'), join(root, 'artifacts', id), { recursive: true });
    repeat('qwen3_32b_again_20251223');
    await build(root, { pdf: 'require' });
    const first = mtimes();
    repeat('qwen3_32b_again_20251224');
    const added = await build(root, { pdf: 'require' });
    expect([added.stats.rendered, added.stats.framed, added.pdf.made, added.pdf.count]).toEqual([1, 14, 4, 18]);
    const later = mtimes();
    expect([...later.keys()].filter((f) => later.get(f) !== first.get(f)).sort()).toEqual(['overview.en.pdf', 'overview.zh.pdf', 'qwen3_32b_again_20251224.en.pdf', 'qwen3_32b_again_20251224.zh.pdf']);
  }, 120_000);
});
