/**
 * Every headline figure a format's fixture gives is cited with the field it came from: a figure the
 * report shows with "–" as its source reads as not given by the tool.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { factsOf } from '../../src/parse/index.js';
import { provenanceOf } from '../../src/render/markdown/view.js';
import { fixturesDir, parseAt } from '../helpers/files.js';

const FIELDS = { requestThroughput: 'requestThroughput', inputTokenThroughput: 'inputTokenThroughput', outputTokenThroughput: 'outputTokenThroughput', latency: 'latencyMs' } as const;

const cases = readdirSync(fixturesDir)
  .filter((f) => f !== 'bad' && statSync(join(fixturesDir, f)).isDirectory())
  .flatMap((format) => readdirSync(join(fixturesDir, format)).map((c) => join(fixturesDir, format, c)))
  .flatMap((dir) => (statSync(dir).isDirectory() ? readdirSync(dir).filter((f) => f !== 'expected.json').map((f) => join(dir, f)) : []));

describe('provenance of the headline figures', () => {
  it.each(cases.map((p) => [p.slice(fixturesDir.length + 1), p]))('%s', (_name, path) => {
    const text = readFileSync(path, 'utf8').toLowerCase();
    const uncited: string[] = [];
    for (const run of parseAt(path).parsed.runs) {
      const p = provenanceOf(factsOf(run.format), run, 'en', text);
      if (p === null) continue;
      for (const [field, runField] of Object.entries(FIELDS)) if (run[runField] !== null && p[field] === '–') uncited.push(`${run.format} run ${run.index}: ${field}`);
    }
    expect(uncited).toEqual([]);
  });
});
