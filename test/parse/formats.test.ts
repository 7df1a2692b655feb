/**
 * One fixture folder per input format: test/fixtures/<format>/<case>/ holds one input file and
 * `expected.json`, the model parsing it gives (formats, runs, server logs, environments, accuracy,
 * messages). `UPDATE=1 npx vitest run test/parse/formats.test.ts` writes the expected files anew;
 * a person then reads the diff before committing it.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseContent } from '../../src/parse/index.js';
import { FORMATS } from '../../src/parse/registry.js';
import { fixturesDir } from '../helpers/files.js';

/** Fixture folders that are not one format's: the bad-input corpus (test/parse/bad-input.test.ts). */
const OTHER = new Set(['bad']);
const update = process.env['UPDATE'] === '1';

const folders = readdirSync(fixturesDir, { withFileTypes: true }).filter((d) => d.isDirectory() && !OTHER.has(d.name)).map((d) => d.name);

describe('format fixtures', () => {
  it('every fixture folder is a format, and every format has one', () => {
    const ids = FORMATS.map((f) => f.id).sort();
    expect(folders.sort()).toEqual(ids);
  });

  it('every format of results names the load generator that writes it', () => {
    expect(FORMATS.filter((f) => f.yields === 'runs' && !f.tool).map((f) => f.id)).toEqual([]);
  });

  it('every format reports what it could not read, with a place (a line or a JSON pointer)', () => {
    const placed = new Set<string>();
    for (const format of folders) {
      for (const name of readdirSync(join(fixturesDir, format))) {
        const file = join(fixturesDir, format, name, 'expected.json');
        if (!existsSync(file)) continue;
        const got = JSON.parse(readFileSync(file, 'utf8')) as { messages: { line?: number; pointer?: string; severity: string }[] };
        if (got.messages.some((m) => m.severity !== 'info' && (m.line !== undefined || m.pointer !== undefined))) placed.add(format);
      }
    }
    expect(folders.filter((f) => !placed.has(f))).toEqual([]);
  });

  for (const format of folders) {
    const cases = readdirSync(join(fixturesDir, format), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
    describe(format, () => {
      it('has at least one case', () => expect(cases.length).toBeGreaterThan(0));
      for (const name of cases) {
        it(name, () => {
          const dir = join(fixturesDir, format, name);
          const inputs = readdirSync(dir).filter((f) => f !== 'expected.json');
          expect(inputs, 'one input file a case').toHaveLength(1);
          const input = inputs[0] as string;
          const r = parseContent(readFileSync(join(dir, input)), input);
          const got = { unrecognised: r.unrecognised, ...r.parsed };
          expect(got.formats, `${format}/${name} is read by ${format}`).toContain(format);
          const expectedFile = join(dir, 'expected.json');
          const text = `${JSON.stringify(got, null, 2)}\n`;
          if (update || !existsSync(expectedFile)) writeFileSync(expectedFile, text);
          expect(JSON.parse(text)).toEqual(JSON.parse(readFileSync(expectedFile, 'utf8')));
        });
      }
    });
  }
});
