/** 6. PDFs: of the site pages whose HTML, CSS or font changed, through one browser. */
import { dirname, join } from 'node:path';
import { sha256 } from '../../hash.js';
import type { PdfJob } from '../../write/pdf.js';
import type { BuildState } from '../state.js';

export interface PdfResult {
  browser: string | null;
  count: number;
  made: number;
  msPerPdf: number[];
  launchMs: number;
  note: string | null;
}

export async function pdfStage(state: BuildState, result: PdfResult): Promise<void> {
  const { cache, sink, ctx } = state;
  if (result.browser === null) return;
  const t0 = performance.now();
  const cssKey = sha256(ctx.css);
  const jobs: PdfJob[] = [];
  const { siteUrl } = ctx.config;
  const keys = new Map<string, string>();
  const pages = state.sitePages.filter((p) => sink.has(p.html));
  for (const page of pages) {
    // The page's <main> (print hides the sidebar, so a report added elsewhere reprints nothing), its
    // font and CSS, where links go, and benchbook itself (how it prints).
    const key = sha256(page.mainKey, state.fontKey, cssKey, siteUrl ?? '', ctx.stamp);
    keys.set(page.pdf, key);
    if (cache?.fresh(page.pdf, key)) sink.keep(page.pdf);
    else jobs.push({ html: join(ctx.root, page.html), out: page.pdf, siteDir: join(ctx.root, dirname(page.html)), siteUrl });
  }
  result.count = pages.length;
  if (jobs.length === 0) return;
  const { launchBrowser, renderPdfs } = await import('../../write/pdf.js');
  state.progress('pdf', 0, jobs.length);
  const { browser, close } = await launchBrowser(result.browser);
  result.launchMs = performance.now() - t0;
  try {
    const pdfs = await renderPdfs(browser, jobs, (n) => state.progress('pdf', n, jobs.length));
    for (const [rel, v] of pdfs) {
      await sink.put(rel, v.pdf);
      cache?.setKey(rel, keys.get(rel) ?? '');
      result.msPerPdf.push(v.ms);
    }
    result.made = pdfs.size;
  } finally {
    await close();
  }
}
