/** The one number format: decimals per quantity chosen from the experiment's largest value, kept everywhere. */
import { describe, expect, it } from 'vitest';
import type { Run } from '../../src/model.js';
import { newRun } from '../../src/parse/types.js';
import { decimalsFor, digitsFor, formatFigure, formatFixed, formatPercent } from '../../src/render/numbers.js';

function run(decode: number, p95Ms: number, tokens: number): Run {
  return {
    ...newRun('a.json', 0, 'bench-openai'),
    outputTokenThroughput: decode,
    outputTokensMean: tokens,
    latencyMs: { mean: null, p50: null, p90: null, p95: p95Ms, p99: null, min: null, max: null },
  };
}

describe('the number format', () => {
  it('chooses decimals by magnitude: two below 1,000, one below 10,000, none above; small values keep two significant digits', () => {
    expect([decimalsFor(606.4682), decimalsFor(1.2582), decimalsFor(0.766), decimalsFor(1077.84), decimalsFor(88297.92), decimalsFor(0.0042)]).toEqual([2, 2, 3, 1, 0, 4]);
  });

  it('keeps one number of decimals per quantity in an experiment, trailing zeros kept', () => {
    const digits = digitsFor([run(606.4682, 6795, 256), run(322.0868, 12765.3, 255.5)]);
    expect(digits.decodeTps).toBe(2);
    expect(formatFigure(6795 / 1000, 'en', 'latencyS', digits)).toBe('6.80');
    expect(formatFigure(606.4682, 'zh', 'decodeTps', digits)).toBe('606.47');
    expect(formatFigure(256, 'en', 'outputTokens', digits)).toBe('256.00');
  });

  it('shows whole numbers without decimals when every value of the quantity is whole', () => {
    const digits = digitsFor([run(600, 6000, 256), run(300, 12000, 110)]);
    expect(formatFigure(256, 'en', 'outputTokens', digits)).toBe('256');
    expect(formatFigure(600, 'en', 'decodeTps', digits)).toBe('600');
  });

  it('groups thousands, writes a dash for no value, and percentages with one decimal', () => {
    expect(formatFixed(88297.92, 'en', 0)).toBe('88,298');
    expect(formatFixed(1077.84, 'zh', 1)).toBe('1,077.8');
    expect(formatFixed(null, 'en', 2)).toBe('–');
    expect(formatPercent(0.85, 'zh')).toBe('85.0%');
  });
});
