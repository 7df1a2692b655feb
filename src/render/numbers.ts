/**
 * One number format for the whole product: report tables, README, chart labels, site cards and
 * PDFs all ask here, so a value reads the same wherever it appears.
 *
 * - Each quantity of an experiment (request throughput, output tok/s, end-to-end latency, TTFT, …)
 *   gets one number of decimals, chosen from the largest value of that quantity in the experiment,
 *   and keeps it everywhere: a column never mixes 6.8 and 6.76, and 606.47 in one table is 606.47 in
 *   the next and on the chart.
 * - Trailing zeros are kept (6.80), thousands are grouped per locale.
 * - Ratios have two decimals, percentages one; counts none.
 *
 * Deterministic and pure.
 */
import type { Run } from '../model.js';

const LOCALE_TAGS: Record<string, string> = { zh: 'zh-CN', en: 'en-US' };

function tag(locale: string): string {
  return LOCALE_TAGS[locale] ?? locale;
}

const cache = new Map<string, Intl.NumberFormat>();
function nf(locale: string, digits: number, fixed = false): Intl.NumberFormat {
  const key = `${locale}|${digits}|${fixed}`;
  let f = cache.get(key);
  if (!f) {
    f = new Intl.NumberFormat(tag(locale), { maximumFractionDigits: digits, minimumFractionDigits: fixed ? digits : 0 });
    cache.set(key, f);
  }
  return f;
}

export const DASH = '–';

/** The quantities whose decimals are chosen per experiment. */
export const QUANTITIES = ['qps', 'promptTps', 'decodeTps', 'totalTps', 'latencyS', 'ttftMs', 'tpotMs', 'itlMs', 'msPerToken', 'inputTokens', 'outputTokens', 'rate'] as const;
export type Quantity = (typeof QUANTITIES)[number];
export type Digits = Record<Quantity, number>;

/**
 * Decimals for a quantity whose largest magnitude is `max`: about four significant digits, at
 * least two decimals below 1,000 (260.37 tok/s, 1.26 req/s, 6.80 s), one from 1,000 and none
 * from 10,000 (88,298 ms); small values keep two significant digits (0.0042).
 */
export function decimalsFor(max: number): number {
  if (!Number.isFinite(max) || max === 0) return 2;
  const m = Math.abs(max);
  if (m >= 10_000) return 0;
  if (m >= 1_000) return 1;
  if (m >= 1) return 2;
  if (m >= 0.1) return 3;
  return Math.min(6, 1 - Math.floor(Math.log10(m)));
}

type Stat = Run['latencyMs'];

function statValues(s: Stat, scale = 1): number[] {
  if (!s) return [];
  return [s.mean, s.p50, s.p90, s.p95, s.p99].filter((v): v is number => v !== null).map((v) => v / scale);
}

/** Milliseconds as seconds, the one conversion every output uses (the same float gives the same text). */
export function seconds(ms: number | null | undefined): number | null {
  return ms === null || ms === undefined ? null : ms / 1000;
}

/** Each quantity's decimals for one experiment's runs. */
export function digitsFor(runs: readonly Run[]): Digits {
  const values: Record<Quantity, (r: Run) => (number | null)[]> = {
    qps: (r) => [r.requestThroughput],
    promptTps: (r) => [r.inputTokenThroughput],
    decodeTps: (r) => [r.outputTokenThroughput],
    totalTps: (r) => [r.totalTokenThroughput],
    latencyS: (r) => statValues(r.latencyMs, 1000),
    ttftMs: (r) => statValues(r.ttftMs),
    tpotMs: (r) => statValues(r.tpotMs),
    itlMs: (r) => statValues(r.itlMs),
    msPerToken: (r) => [r.msPerOutputToken],
    inputTokens: (r) => [r.inputTokensMean],
    outputTokens: (r) => [r.outputTokensMean],
    rate: (r) => [r.requestRate],
  };
  const out = {} as Digits;
  for (const q of QUANTITIES) {
    const all = runs.flatMap(values[q]).filter((v): v is number => v !== null && Number.isFinite(v));
    // Whole numbers throughout (110 prompt tokens, a rate of 4 requests/s) need no decimals.
    out[q] = all.length > 0 && all.every(Number.isInteger) ? 0 : decimalsFor(all.length ? Math.max(...all.map(Math.abs)) : 0);
  }
  return out;
}

/** A figure with exactly `decimals` decimals, grouped per locale; '–' when there is none. */
export function formatFixed(v: unknown, locale: string, decimals: number): string {
  return typeof v === 'number' && Number.isFinite(v) ? nf(locale, decimals, true).format(v) : DASH;
}

/** A figure of a quantity, with that quantity's decimals in this experiment. */
export function formatFigure(v: unknown, locale: string, q: Quantity, digits: Digits): string {
  return formatFixed(v, locale, digits[q]);
}

/** A count or a value shown with at most `digits` decimals (trailing zeros dropped). */
export function formatNumber(v: unknown, locale: string, digits = 2): string {
  return typeof v === 'number' && Number.isFinite(v) ? nf(locale, digits).format(v) : DASH;
}

export function formatRatio(v: unknown, locale: string, digits = 2): string {
  return typeof v === 'number' && Number.isFinite(v) ? `${nf(locale, digits, true).format(v)}×` : DASH;
}

export function formatPercent(v: unknown, locale: string, digits = 1): string {
  return typeof v === 'number' && Number.isFinite(v) ? `${nf(locale, digits, true).format(v * 100)}%` : DASH;
}

export function formatDate(iso: string, locale: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return iso;
  const [, y, mo, d] = m;
  if (locale === 'zh') return `${y} 年 ${Number(mo)} 月 ${Number(d)} 日`;
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  return `${Number(d)} ${months[Number(mo) - 1] ?? mo} ${y}`;
}
