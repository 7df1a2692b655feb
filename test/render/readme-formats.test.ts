/** The README's formats table is the registry's: every format, with what it was checked on, and every finding code. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FINDING_CODES, localized } from '../../src/model.js';
import { FORMATS } from '../../src/parse/registry.js';
import { repoRoot } from '../helpers/files.js';

for (const [file, locale] of [['README.md', 'zh'], ['README.en.md', 'en']] as const) {
  describe(file, () => {
    const text = readFileSync(join(repoRoot, file), 'utf8');
    const rows = text.split('\n').filter((l) => /^\| .* \| `[a-z0-9-]+` \| .* \|$/.test(l));
    it('has a row per format, naming the versions it was checked on', () => {
      expect(rows.map((r) => /`([a-z0-9-]+)`/.exec(r)?.[1]).sort()).toEqual(FORMATS.map((f) => f.id).sort());
      for (const f of FORMATS) expect(rows.find((r) => r.includes(`\`${f.id}\``))).toContain(localized(f.checkedOn, locale));
    });
    it('lists every finding code', () => {
      for (const code of FINDING_CODES) expect(text).toContain(`\`${code}\``);
    });
  });
}
