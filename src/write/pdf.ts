/**
 * PDF of every report through Chromium (puppeteer-core; no browser is downloaded). One browser for
 * all PDFs. Pages are opened from file:// so the local @font-face font is embedded. Chromium
 * stamps creation/modification dates into the PDF; they are replaced by a fixed date of the same
 * length so that the same site gives the same bytes.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'puppeteer-core';
import { escapeHtml } from '../render/html/layout.js';

export { BROWSER_HINT, findBrowser } from './browser.js';

const ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-default-apps',
  '--no-first-run',
  '--no-default-browser-check',
  '--font-render-hinting=none',
];

export async function launchBrowser(executablePath: string): Promise<{ browser: Browser; close: () => Promise<void> }> {
  const { launch } = await import('puppeteer-core');
  const userDataDir = await mkdtemp(join(tmpdir(), 'benchbook-chrome-'));
  const browser = await launch({ executablePath, args: ARGS, userDataDir, headless: true });
  return {
    browser,
    close: async () => {
      await browser.close();
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}

const FIXED_DATE = 'D:20000101000000';

/** Replaces the PDF's timestamps with a fixed date of the same length (offsets stay valid). */
export function normalisePdf(pdf: Buffer): Buffer {
  const text = pdf.toString('latin1');
  const fixed = text.replace(/\/(CreationDate|ModDate) \((D:\d{14})([^)]*)\)/g, (_, key: string, _d: string, rest: string) => `/${key} (${FIXED_DATE}${'Z'.padEnd(rest.length, ' ').slice(0, rest.length)})`);
  return Buffer.from(fixed, 'latin1');
}

export interface PdfJob {
  /** Absolute path of the HTML page. */
  html: string;
  /** Output path relative to the root. */
  out: string;
  /** The site folder the page lies in (its links to other site files are relative to it). */
  siteDir: string;
  /** Where the site is published (ending in `/`), or null. */
  siteUrl: string | null;
}

/**
 * Runs in the page before it is printed: no link of the PDF may point at the build machine
 * (`file://…`). A link to a place in the page stays; a link to another file of the site goes to
 * the published site when `siteUrl` is known, and is plain text otherwise, as is any other local
 * link. The raw-data dumps stay folded and out of the PDF (the appendix lists the files with
 * their size and hash); every other <details> is opened.
 */
function preparePrint(siteDirHref: string, siteUrl: string | null): string {
  return `(() => {
    const siteDir = ${JSON.stringify(siteDirHref)};
    const siteUrl = ${JSON.stringify(siteUrl)};
    for (const a of [...document.querySelectorAll('a[href]')]) {
      const raw = a.getAttribute('href');
      if (raw.startsWith('#')) continue;
      const url = new URL(raw, document.baseURI);
      if (url.protocol !== 'file:') continue;
      if (siteUrl !== null && url.href.startsWith(siteDir)) {
        a.setAttribute('href', siteUrl + url.href.slice(siteDir.length));
        continue;
      }
      const span = document.createElement('span');
      span.append(...a.childNodes);
      a.replaceWith(span);
    }
    for (const d of document.querySelectorAll('details:not(.raw)')) d.setAttribute('open', '');
  })()`;
}

/** Reports of up to this many pages (the contents' own page included) are printed without contents. */
const TOC_FROM_PAGES = 4;

/** How many pages a PDF has (its page objects). */
export function pageCount(pdf: Buffer): number {
  return (pdf.toString('latin1').match(/\/Type \/Page\b(?!s)/g) ?? []).length;
}

/**
 * The page (1-based) each named destination of a PDF lies on: Chromium names a destination after
 * every element id a link points to (each heading has its anchor link), as `/<id> [<page> 0 R /XYZ x
 * y 0]` in the catalog's /Dests; the pages' order is that of the /Pages tree. A destination below
 * the page's bottom (y < 0) starts the next page.
 */
export function sectionPages(pdf: Buffer): Map<string, number> {
  const text = pdf.toString('latin1');
  const objects = new Map<number, string>();
  for (const m of text.matchAll(/(?:^|\n)(\d+) 0 obj\s*([\s\S]*?)\nendobj/g)) objects.set(Number(m[1]), m[2] ?? '');
  const root = /\/Type \/Catalog[\s\S]*?\/Pages (\d+) 0 R/.exec(text)?.[1];
  const order: number[] = [];
  const walk = (n: number, depth = 0): void => {
    const body = objects.get(n) ?? '';
    const kids = /\/Kids \[([^\]]*)\]/.exec(body)?.[1];
    if (/\/Type \/Pages\b/.test(body) && kids !== undefined && depth < 32) for (const k of kids.matchAll(/(\d+) 0 R/g)) walk(Number(k[1]), depth + 1);
    else order.push(n);
  };
  if (root !== undefined) walk(Number(root));
  const dests = /\/Dests (\d+) 0 R/.exec(text)?.[1];
  const out = new Map<string, number>();
  for (const d of (objects.get(Number(dests)) ?? '').matchAll(/\/([^\s[/]+) \[(\d+) 0 R \/XYZ [-\d.]+ (-?[\d.]+)/g)) {
    const at = order.indexOf(Number(d[2]));
    if (at >= 0) out.set(decodePdfName(d[1] ?? ''), at + 1 + (Number(d[3]) < 0 ? 1 : 0));
  }
  return out;
}

/** A PDF name as the id it names: `#xx` escapes decoded, then the URL escapes Chromium writes non-ASCII ids with. */
function decodePdfName(name: string): string {
  const raw = Buffer.from(name.replace(/#([0-9A-Fa-f]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8');
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}


export async function renderPdfs(browser: Browser, jobs: PdfJob[], onDone: (n: number) => void = () => {}): Promise<Map<string, { pdf: Buffer; ms: number }>> {
  const out = new Map<string, { pdf: Buffer; ms: number }>();
  const page = await browser.newPage();
  try {
    // Nothing but local files: a report never reaches the network.
    await page.setRequestInterception(true);
    page.on('request', (req) => (req.url().startsWith('file:') || req.url().startsWith('data:') ? req.continue() : req.abort()));
    await page.emulateMediaType('print');
    for (const job of jobs) {
      const t0 = performance.now();
      await page.goto(pathToFileURL(job.html).href, { waitUntil: 'load' });
      await page.evaluate('document.fonts.ready');
      await page.evaluate(preparePrint(pathToFileURL(job.siteDir).href.replace(/\/?$/, '/'), job.siteUrl));
      // The report's title heads every page (the page's <title>, from artifact text: escaped). Header
      // and footer are drawn apart from the page, without its web font (an inline one is not loaded
      // either): a title in a script the system fonts may lack gives way to the experiment's file name.
      const pageTitle = String(await page.evaluate('document.title'));
      const title = escapeHtml(/^[\u0020-\u024f\u2010-\u2027×]*$/.test(pageTitle) ? pageTitle : basename(job.out).replace(/\.[a-z-]+\.pdf$/i, ''));
      const print = () =>
        page.pdf({
          format: 'A4',
          printBackground: true,
          // Untagged: Chromium numbers structure elements by DOM node ids, which vary between runs.
          tagged: false,
          outline: false,
          displayHeaderFooter: true,
          headerTemplate: `<div style="width:100%;font-size:8px;color:#666;padding:0 12mm;font-family:sans-serif;white-space:nowrap;overflow:hidden;text-overflow:ellipsis">${title}</div>`,
          footerTemplate:
            '<div style="width:100%;font-size:8px;color:#666;text-align:center;font-family:sans-serif"><span class="pageNumber"></span> / <span class="totalPages"></span></div>',
          margin: { top: '16mm', bottom: '18mm', left: '12mm', right: '12mm' },
        });
      let pdf = Buffer.from(await print());
      // The table of contents gets its page numbers from where the first print put each section
      // (the PDF's named destinations), then the page is printed again: numbers take no more room.
      if (await page.evaluate('document.querySelector(".print-toc") !== null')) {
        const pages = sectionPages(pdf);
        // A report of a few pages reads without one: the contents would be a third of it.
        const short = pageCount(pdf) <= TOC_FROM_PAGES;
        await page.evaluate(`(() => {
          const pages = ${JSON.stringify(Object.fromEntries(pages))};
          for (const cell of document.querySelectorAll('.print-toc .toc-page')) cell.textContent = pages[cell.dataset.for] ?? '';
        })()`);
        if (short) await page.evaluate('document.querySelector(".print-toc").remove()');
        pdf = Buffer.from(await print());
      }
      out.set(job.out, { pdf: normalisePdf(pdf), ms: performance.now() - t0 });
      onDone(out.size);
    }
  } finally {
    await page.close();
  }
  return out;
}
