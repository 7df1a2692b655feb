/**
 * PDF of every report through Chromium (puppeteer-core; no browser is downloaded). One browser for
 * all PDFs. Pages are opened from file:// so the local @font-face font is embedded. Chromium
 * stamps creation/modification dates into the PDF; they are replaced by a fixed date of the same
 * length so that the same site gives the same bytes.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'puppeteer-core';

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
      // Runs in the page: wait for the web font, open <details> so raw data prints.
      await page.evaluate('document.fonts.ready.then(() => document.querySelectorAll("details").forEach((d) => d.setAttribute("open", "")))');
      const pdf = await page.pdf({
        format: 'A4',
        printBackground: true,
        // Untagged: Chromium numbers structure elements by DOM node ids, which vary between runs.
        tagged: false,
        outline: false,
        displayHeaderFooter: true,
        headerTemplate: '<div></div>',
        footerTemplate:
          '<div style="width:100%;font-size:8px;color:#666;text-align:center;font-family:sans-serif"><span class="pageNumber"></span> / <span class="totalPages"></span></div>',
        margin: { top: '16mm', bottom: '18mm', left: '12mm', right: '12mm' },
      });
      out.set(job.out, { pdf: normalisePdf(Buffer.from(pdf)), ms: performance.now() - t0 });
      onDone(out.size);
    }
  } finally {
    await page.close();
  }
  return out;
}
