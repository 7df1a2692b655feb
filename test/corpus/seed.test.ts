// The sample in artifacts/ is the seed data, copied in unchanged.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAt } from '../helpers/files.js';
import { artifactsDir, sharedDir } from '../helpers/files.js';
import { NOT_YET_READ } from './not-yet-read.js';

const seedDir = join(sharedDir, 'fixtures', 'seed-artifacts');
const experiments = readdirSync(seedDir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);

describe('seed artifacts', () => {
  it('ship in artifacts/ byte for byte', () => {
    expect(experiments).toHaveLength(4);
    for (const exp of experiments) {
      for (const file of readdirSync(join(seedDir, exp))) {
        expect(readFileSync(join(artifactsDir, exp, file)).equals(readFileSync(join(seedDir, exp, file))), `${exp}/${file}`).toBe(true);
      }
    }
  });
  it('are every one recognised, with no error', () => {
    for (const exp of experiments) {
      for (const file of readdirSync(join(seedDir, exp))) {
        const r = parseAt(join(seedDir, exp, file));
        expect(r.unrecognised, `${exp}/${file}`).toBeNull();
        expect(r.parsed.messages.filter((m) => m.severity === 'error'), `${exp}/${file}`).toEqual([]);
      }
    }
  });
});

describe('corpus', () => {
  const root = join(sharedDir, 'corpus');
  const files = readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((sub) => readdirSync(join(root, sub.name)).map((file) => `${sub.name}/${file}`))
    // references, not inputs
    .filter((f) => !/\/(FORMAT_STRINGS|RESULT_SCHEMA_FROM_SOURCE)\.md$/.test(f));

  it('every file is recognised, but those of formats not read yet', () => {
    for (const f of files.filter((x) => !NOT_YET_READ.includes(x))) {
      const r = parseAt(join(root, f));
      expect(r.unrecognised, f).toBeNull();
      expect(r.parsed.formats.length, f).toBeGreaterThan(0);
    }
  });

  it('lists as not read yet only files that exist and are still not read', () => {
    for (const f of NOT_YET_READ) {
      expect(files, f).toContain(f);
      expect(parseAt(join(root, f)).unrecognised, f).not.toBeNull();
    }
  });
});
