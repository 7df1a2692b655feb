/** One list of stage names serves the build, its progress line and the docs. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { STAGES } from '../../src/pipeline/stages.js';
import { repoRoot } from '../helpers/files.js';

describe('stages', () => {
  it('docs/architecture.md lists every stage, in order, as the code names and describes it', () => {
    const doc = readFileSync(join(repoRoot, 'docs', 'architecture.md'), 'utf8');
    const rows = [...doc.matchAll(/^\| `([a-z]+)` \| (.+) \|$/gm)].map((m) => [m[1], m[2]]);
    expect(rows).toEqual(STAGES.map((s) => [s.id, s.does]));
  });
});
