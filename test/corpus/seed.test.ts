// The sample in artifacts/ is the seed data, copied in unchanged.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAt } from '../helpers/files.js';
import { artifactsDir, sharedDir } from '../helpers/files.js';

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
  it('every file is recognised', () => {
    const root = join(sharedDir, 'corpus');
    for (const sub of readdirSync(root, { withFileTypes: true }).filter((d) => d.isDirectory())) {
      for (const file of readdirSync(join(root, sub.name))) {
        if (/^(FORMAT_STRINGS|RESULT_SCHEMA_FROM_SOURCE)\.md$/.test(file)) continue; // references, not inputs
        const r = parseAt(join(root, sub.name, file));
        expect(r.unrecognised, `${sub.name}/${file}`).toBeNull();
        expect(r.parsed.formats.length, `${sub.name}/${file}`).toBeGreaterThan(0);
      }
    }
  });
});
