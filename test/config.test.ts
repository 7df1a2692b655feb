/** benchbook.config.json: locales, the default one, and the published site's address. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readConfig } from '../src/config.js';

const root = mkdtempSync(join(tmpdir(), 'benchbook-config-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function withConfig(value: unknown) {
  writeFileSync(join(root, 'benchbook.config.json'), JSON.stringify(value));
  return readConfig(root);
}

describe('siteUrl', () => {
  it('is read with a trailing slash, and absent is null', async () => {
    expect((await withConfig({ siteUrl: 'https://owner.github.io/reports' })).config.siteUrl).toBe('https://owner.github.io/reports/');
    expect((await withConfig({ siteUrl: 'https://owner.github.io/reports/' })).config.siteUrl).toBe('https://owner.github.io/reports/');
    expect((await withConfig({ locales: ['zh', 'en'] })).config.siteUrl).toBeNull();
  });
  it('that is no http(s) address is refused by name, and the defaults are used', async () => {
    for (const bad of ['file:///home/me/site/', 'owner.github.io', 42]) {
      const { config, messages } = await withConfig({ siteUrl: bad });
      expect(config.siteUrl, String(bad)).toBeNull();
      expect(messages).toMatchObject([{ rule: 'config', pointer: '/siteUrl', severity: 'error' }]);
    }
  });
});
