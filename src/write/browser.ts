/** Which Chromium/Chrome makes the PDFs; found without loading the browser driver. */
import { existsSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const BROWSER_HINT =
  'no Chromium/Chrome found for PDFs: install one (Debian/Ubuntu: apt-get install chromium) or set BENCHBOOK_CHROME to its path; everything else was built';

/** The browser to use: BENCHBOOK_CHROME / PUPPETEER_EXECUTABLE_PATH, Debian/Ubuntu paths, Chrome, puppeteer's cache. */
export function findBrowser(env: NodeJS.ProcessEnv = process.env): string | null {
  for (const key of ['BENCHBOOK_CHROME', 'PUPPETEER_EXECUTABLE_PATH'] as const) {
    const v = env[key];
    if (v) return existsSync(v) ? v : null;
  }
  const candidates = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable', '/opt/google/chrome/chrome'];
  for (const c of candidates) if (existsSync(c)) return c;
  const cache = join(env['PUPPETEER_CACHE_DIR'] ?? join(homedir(), '.cache', 'puppeteer'), 'chrome');
  if (existsSync(cache)) {
    for (const v of readdirSync(cache).sort().reverse()) {
      for (const sub of ['chrome-linux64/chrome', 'chrome-linux/chrome']) {
        const p = join(cache, v, sub);
        if (existsSync(p)) return p;
      }
    }
  }
  return null;
}
