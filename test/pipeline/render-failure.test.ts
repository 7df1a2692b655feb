/** An experiment that cannot be rendered (a bug in benchbook) loses its own report only. */
import { chmodSync, cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { Derived } from '../../src/assemble/derive.js';
import { build } from '../../src/build.js';
import type { Digits } from '../../src/render/numbers.js';
import type { Strings } from '../../src/render/strings.js';
import { artifactsDir } from '../helpers/files.js';

vi.mock('../../src/render/charts/specs.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/render/charts/specs.js')>();
  return {
    ...real,
    chartsFor: (d: Derived, s: Strings, locale: string, digits: Digits) => {
      if (d.facts.some((f) => f.run.file.includes('tp2'))) throw new Error('chart bug for tp2');
      return real.chartsFor(d, s, locale, digits);
    },
  };
});

const BROKEN = 'l40x4_gpt_oss_120b_20251103';
const GOOD = 'qwen2_5_vl_72b_fp8_vllm_bench_20251222';
const root = mkdtempSync(join(tmpdir(), 'benchbook-failure-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('an experiment whose rendering throws', () => {
  it('gets a render-failed message; the others are built; the next build tries it again', async () => {
    for (const id of [BROKEN, GOOD]) {
      cpSync(join(artifactsDir, id), join(root, 'artifacts', id), { recursive: true });
      chmodSync(join(root, 'artifacts', id), 0o755);
    }
    const first = await build(root, { pdf: 'skip' });
    expect(first.messages).toContainEqual(expect.objectContaining({ file: BROKEN, rule: 'render-failed', severity: 'error', text: expect.stringContaining('chart bug for tp2') }));
    expect(existsSync(join(root, 'reports', `${GOOD}.en.md`))).toBe(true);
    expect(existsSync(join(root, 'reports', `${BROKEN}.en.md`))).toBe(false);
    expect(readdirSync(join(root, 'images')).some((f) => f.startsWith(BROKEN))).toBe(false);
    const readme = readFileSync(join(root, 'README.en.md'), 'utf8');
    expect(readme).toContain(`reports/${GOOD}.en.md`);
    expect(readme).not.toContain(`reports/${BROKEN}.en.md`);
    const second = await build(root, { pdf: 'skip' });
    expect(second.noop).toBe(false);
    expect(second.stats.rendered).toBe(0);
    expect(second.messages.filter((m) => m.rule === 'render-failed')).toHaveLength(1);
  }, 60_000);
});
