/**
 * Which charts an experiment gets, chosen from what varies in it, as Vega-Lite specs. Titles,
 * axes and legends come from the locale's strings; the data come from the model.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { Comparison, Derived, Sweep } from '../../assemble/derive.js';
import { paretoShown, type ParetoRun } from '../../assemble/pareto.js';
import type { Run } from '../../model.js';
import { formatFixed, formatPercent, seconds, type Digits, type Quantity } from '../numbers.js';
import { word, type Strings } from '../strings.js';
import { FONT_FAMILY } from './font.js';
import { estimateTextWidth, LABEL_RANK } from './text-width.js';

export type { ChartKind } from '../../model.js';
import type { ChartKind } from '../../model.js';

/** The report section a chart belongs to: the n-th comparison or sweep (0-based), or the accuracy section. */
export type ChartSection = { kind: 'comparison'; index: number } | { kind: 'sweep'; index: number } | { kind: 'accuracy' } | { kind: 'latency' } | { kind: 'pareto' };

export interface ChartSpec {
  kind: ChartKind;
  section: ChartSection;
  /** File-name part: images/<slug>-<file>.<locale>.png (the kind, numbered when its section kind repeats). */
  file: string;
  title: string;
  spec: TopLevelSpec;
}

export function sameSection(a: ChartSection, b: ChartSection): boolean {
  return a.kind === b.kind && (a.kind === 'accuracy' || a.kind === 'latency' || a.kind === 'pareto' || a.index === (b as { index: number }).index);
}

/** A chart's file-name part: its kind, plus `-<n>` when the report has several sections of its kind. */
function fileOf(kind: ChartKind, section: ChartSection, sections: number): string {
  return (section.kind === 'comparison' || section.kind === 'sweep') && sections > 1 ? `${kind}-${section.index + 1}` : kind;
}

export const PALETTE = ['#4c78a8', '#f58518', '#54a24b', '#e45756', '#72b7b2', '#b279a2', '#ff9da6', '#9d755d'];

/** Every chart's look: font, ground, axes, legend at the bottom, palette. */
export function chartConfig(): NonNullable<TopLevelSpec['config']> {
  return {
    font: FONT_FAMILY,
    background: '#ffffff',
    padding: 12,
    axisX: { labelAngle: 0, labelLimit: 0 },
    axis: { labelFontSize: 11, titleFontSize: 12, labelLimit: 0 },
    legend: { labelFontSize: 11, titleFontSize: 12, labelLimit: 0, orient: 'bottom' },
    title: { fontSize: 14, anchor: 'start', limit: 0 },
    range: { category: PALETTE },
    view: { stroke: null },
  };
}

/** Every chart's plot size, in px. */
export const WIDTH = 460;
const HEIGHT = 260;

/**
 * The x axis of `labels` spread over `width` px, one a band: level while the widest fits its band,
 * slanted while slanted labels clear each other, upright beyond that, and with every other one
 * dropped (Vega's parity rule) only where even upright labels would overlap. Level labels that do
 * not fit run into each other and can be read as none of them.
 */
export function bandAxis(labels: readonly string[], width: number, size = 11): Record<string, unknown> {
  const step = width / Math.max(1, labels.length);
  const widest = Math.max(0, ...labels.map((t) => estimateTextWidth(t, size)));
  const line = size * 1.3;
  if (widest + 8 <= step) return { labelAngle: 0 };
  if (step * Math.sin((40 * Math.PI) / 180) >= line) return { labelAngle: -40, labelAlign: 'right', labelBaseline: 'top' };
  const upright = { labelAngle: -90, labelAlign: 'right', labelBaseline: 'middle' };
  return step >= line ? upright : { ...upright, labelOverlap: 'parity', labelSeparation: 2 };
}

/** The field of a bar chart's rows that holds how high its y scale must reach to keep upright value labels inside the plot. */
const CEILING = 'ceiling';

/**
 * The value labels of bars `bar` px wide, at font size 10: level above each bar while the widest
 * fits a bar's width, else upright, reading up from the bar's top, with the y scale raised so the
 * tallest bar's label stays inside the plot. Level labels wider than their bars run into the next.
 * The raised top is data (each row's CEILING, drawn by an invisible tick), not a constant of the
 * spec, so that charts alike but for their figures keep one shape (render.ts keeps a dataflow per shape).
 */
function valueLabels(texts: readonly string[], bar: number, top: number): { mark: Record<string, unknown>; row: Record<string, number>; layer: { mark: Record<string, unknown>; encoding: Record<string, unknown> }[] } {
  const widest = Math.max(0, ...texts.map((t) => estimateTextWidth(t, 10)));
  if (widest <= bar) return { mark: { type: 'text', dy: -6, fontSize: 10, color: '#333' }, row: {}, layer: [] };
  const room = HEIGHT - widest - 8;
  const raised = room > HEIGHT / 3 && top > 0;
  return {
    mark: { type: 'text', angle: 270, align: 'left', baseline: 'middle', dx: 4, fontSize: 10, color: '#333' },
    row: raised ? { [CEILING]: round((top * HEIGHT) / room, 6) } : {},
    layer: raised ? [{ mark: { type: 'tick', opacity: 0, aria: false }, encoding: { y: { field: CEILING, type: 'quantitative' } } }] : [],
  };
}

/** Vega-Lite's default inner padding of a band scale: a bar is 0.9 of its step. */
const BAR_SHARE = 0.9;

function base(title: string, width = WIDTH, height = HEIGHT): Record<string, unknown> {
  return { $schema: 'https://vega.github.io/schema/vega-lite/v6.json', title, width, height, config: chartConfig() };
}

function round(v: number, d = 2): number {
  return Number(v.toFixed(d));
}

/** How a chart writes its value labels: the report's formatter, the quantity's decimals in this experiment. */
interface Labels {
  locale: string;
  digits: Digits;
}

/** A point's value and its label, written as the tables write it. */
function point(v: number, q: Quantity, l: Labels): { value: number; text: string } {
  return { value: v, text: formatFixed(v, l.locale, l.digits[q]) };
}

/** Grouped bars: one group per run, one bar per series. */
function groupedBars(title: string, rows: { run: string; series: string; value: number; text: string }[], order: string[], seriesOrder: string[], yTitle: string, legend: string): TopLevelSpec {
  const runs = order.filter((r) => rows.some((x) => x.run === r));
  const series = new Set(rows.map((r) => r.series)).size;
  const labels = valueLabels(rows.map((r) => r.text), (WIDTH / Math.max(1, runs.length)) * BAR_SHARE / Math.max(1, series), Math.max(0, ...rows.map((r) => r.value)));
  return {
    ...base(title),
    data: { values: rows.map((r) => ({ ...r, aria: `${r.run}, ${r.series}: ${r.text}`, ...labels.row })) },
    encoding: {
      x: { field: 'run', type: 'nominal', sort: order, title: null, axis: bandAxis(runs, WIDTH) },
      xOffset: { field: 'series', type: 'nominal', sort: seriesOrder },
      description: { field: 'aria', type: 'nominal' },
      y: { field: 'value', type: 'quantitative', title: yTitle },
      color: { field: 'series', type: 'nominal', sort: seriesOrder, title: legend },
    },
    layer: [
      { mark: { type: 'bar', cornerRadiusEnd: 2 } },
      { mark: labels.mark, encoding: { text: { field: 'text', type: 'nominal' } } },
      ...labels.layer,
    ],
  } as TopLevelSpec;
}

function bars(title: string, rows: { run: string; value: number; text: string }[], order: string[], yTitle: string): TopLevelSpec {
  const text = { field: 'text', type: 'nominal' };
  const runs = order.filter((r) => rows.some((x) => x.run === r));
  const labels = valueLabels(rows.map((r) => r.text), (WIDTH / Math.max(1, runs.length)) * BAR_SHARE, Math.max(0, ...rows.map((r) => r.value)));
  return {
    ...base(title),
    data: { values: rows.map((r) => ({ ...r, aria: `${r.run}: ${r.text}`, ...labels.row })) },
    encoding: {
      x: { field: 'run', type: 'nominal', sort: order, title: null, axis: bandAxis(runs, WIDTH) },
      y: { field: 'value', type: 'quantitative', title: yTitle },
      description: { field: 'aria', type: 'nominal' },
    },
    layer: [
      { mark: { type: 'bar', color: PALETTE[0], cornerRadiusEnd: 2 } },
      { mark: labels.mark, encoding: { text } },
      ...labels.layer,
    ],
  } as TopLevelSpec;
}

/**
 * The x scale of levels that double (concurrency 1, 2, 4 … 512): logarithmic, ticked at the levels
 * measured, where they span a factor of 8 or more; on a linear axis the low levels crowd into its
 * first few pixels and their values print over one another.
 */
function levelScale(xs: readonly number[]): Record<string, unknown> {
  const levels = [...new Set(xs)].sort((a, b) => a - b);
  const low = levels[0] ?? 0;
  const high = levels[levels.length - 1] ?? 0;
  if (low <= 0 || high / low < 8) return { scale: { zero: false } };
  return { scale: { type: 'log', base: 2, nice: false, padding: 16 }, axis: { values: levels, format: '~r', grid: true } };
}

/** Lines over a quantitative x; `doubling` where x is a load level that doubles (a sweep's concurrency), not a count read linearly (GPUs). */
function lines(title: string, rows: { x: number; value: number; text: string; series: string }[], xTitle: string, yTitle: string, legend: string | null, doubling = false): TopLevelSpec {
  return {
    ...base(title),
    data: { values: rows.map((r) => ({ ...r, aria: `${r.series ? `${r.series}, ` : ''}${xTitle} ${r.x}: ${r.text}` })) },
    encoding: {
      x: { field: 'x', type: 'quantitative', title: xTitle, ...(doubling ? levelScale(rows.map((r) => r.x)) : { scale: { zero: false } }) },
      description: { field: 'aria', type: 'nominal' },
      y: { field: 'value', type: 'quantitative', title: yTitle },
      color: legend === null ? { value: PALETTE[0] } : { field: 'series', type: 'nominal', title: legend },
    },
    layer: [
      { mark: { type: 'line', point: true } },
      { mark: { type: 'text', dy: -8, fontSize: 10, color: '#333' }, encoding: { text: { field: 'text', type: 'nominal' } } },
    ],
  } as TopLevelSpec;
}

function comparisonCharts(c: Comparison, s: Strings, l: Labels, index: number, count: number): ChartSpec[] {
  const out: ChartSpec[] = [];
  const section: ChartSection = { kind: 'comparison', index };
  const chart = (kind: ChartKind, title: string, spec: TopLevelSpec): ChartSpec => ({ kind, section, file: fileOf(kind, section, count), title, spec });
  const runs = c.runs.map((f) => f.run);
  const order = runs.map((r) => r.label);
  const prompt = word(s, 'series.prompt');
  const decode = word(s, 'series.decode');
  const tp = runs.flatMap((r) => [
    ...(r.inputTokenThroughput !== null ? [{ run: r.label, series: prompt, ...point(r.inputTokenThroughput, 'promptTps', l) }] : []),
    ...(r.outputTokenThroughput !== null ? [{ run: r.label, series: decode, ...point(r.outputTokenThroughput, 'decodeTps', l) }] : []),
  ]);
  if (tp.length) {
    const title = word(s, 'chart.throughput');
    out.push(chart('throughput', title, groupedBars(title, tp, order, [prompt, decode], word(s, 'axis.tokensPerS'), word(s, 'legend.tokens'))));
  }
  const qps = runs.filter((r) => r.requestThroughput !== null).map((r) => ({ run: r.label, ...point(r.requestThroughput as number, 'qps', l) }));
  if (qps.length) {
    const title = word(s, 'chart.qps');
    out.push(chart('qps', title, bars(title, qps, order, word(s, 'axis.reqPerS'))));
  }
  const stats = ['mean', 'p50', 'p95', 'p99'] as const;
  const latencyRows = (pick: (r: Run) => Run['latencyMs'], q: Quantity) =>
    runs.flatMap((r) =>
      stats.flatMap((k) => {
        const v = pick(r)?.[k];
        if (v === null || v === undefined) return [];
        return [{ run: r.label, series: word(s, `stat.${k}`), ...point(q === 'latencyS' ? (seconds(v) as number) : v, q, l) }];
      }),
    );
  const lat = latencyRows((r) => r.latencyMs, 'latencyS');
  if (lat.length) {
    const title = word(s, 'chart.latency');
    out.push(chart('latency', title, groupedBars(title, lat, order, stats.map((k) => word(s, `stat.${k}`)), word(s, 'axis.seconds'), word(s, 'legend.stat'))));
  }
  for (const [key, pick] of [
    ['ttft', (r: Run) => r.ttftMs],
    ['tpot', (r: Run) => r.tpotMs],
    ['itl', (r: Run) => r.itlMs],
  ] as const) {
    const rows = latencyRows(pick, `${key}Ms`);
    if (rows.length) {
      const title = word(s, `chart.${key}`);
      out.push(chart(key, title, groupedBars(title, rows, order, stats.map((k) => word(s, `stat.${k}`)), word(s, 'axis.ms'), word(s, 'legend.stat'))));
    }
  }
  if (c.axis === 'gpus') {
    const base0 = c.baseline;
    const rows = c.runs
      .filter((f) => f.gpus !== null && f.run.outputTokenThroughput !== null)
      .flatMap((f) => [
        { x: f.gpus as number, ...point(f.run.outputTokenThroughput as number, 'decodeTps', l), series: word(s, 'series.measured') },
        ...(base0.gpus && base0.run.outputTokenThroughput !== null
          ? [{ x: f.gpus as number, ...point((base0.run.outputTokenThroughput * (f.gpus as number)) / base0.gpus, 'decodeTps', l), series: word(s, 'series.linear') }]
          : []),
      ]);
    if (rows.length >= 2) {
      const title = word(s, 'chart.scaling');
      const spec = lines(title, rows, word(s, 'axis.gpus'), word(s, 'axis.decodeTokensPerS'), word(s, 'legend.series'));
      (spec as { encoding: { x: Record<string, unknown> } }).encoding.x['axis'] = { tickMinStep: 1, format: 'd' };
      out.push(chart('scaling', title, spec));
    }
  }
  return out;
}

function sweepCharts(sw: Sweep, s: Strings, l: Labels, index: number, count: number): ChartSpec[] {
  const out: ChartSpec[] = [];
  const section: ChartSection = { kind: 'sweep', index };
  const x = word(s, 'axis.concurrency');
  const make = (id: 'qps' | 'latency' | 'throughput' | 'failed', pick: (r: Run) => number | null, yKey: string, q: Quantity | null) => {
    const rows = sw.points
      .filter((p) => pick(p.run) !== null)
      .map((p) => {
        const v = pick(p.run) as number;
        return { x: p.concurrency, ...(q === null ? { value: v, text: formatFixed(v, l.locale, 0) } : point(v, q, l)), series: '' };
      });
    if (rows.length < 2) return;
    // Where labels crowd, the highest value, the last level and the first keep theirs (render.ts).
    const top = rows.reduce((best, r, i) => (r.value > (rows[best]?.value ?? -Infinity) ? i : best), 0);
    const ranked = rows.map((r, i) => ({ ...r, [LABEL_RANK]: i === top ? 0 : i === rows.length - 1 ? 1 : i === 0 ? 2 : 3 }));
    const title = word(s, `chart.sweep.${id}`);
    const kind = `sweep-${id}` as const;
    out.push({ kind, section, file: fileOf(kind, section, count), title, spec: lines(title, ranked, x, word(s, yKey), null, true) });
  };
  make('qps', (r) => r.requestThroughput, 'axis.reqPerS', 'qps');
  make('latency', (r) => seconds(r.latencyMs?.mean ?? r.latencyMs?.p50), 'axis.seconds', 'latencyS');
  make('throughput', (r) => r.outputTokenThroughput, 'axis.tokensPerS', 'decodeTps');
  make('failed', (r) => r.failed, 'axis.failed', null);
  return out;
}

const PERCENTILES = ['p50', 'p90', 'p95', 'p99'] as const;
/** Most runs one percentile chart draws: beyond, its lines could not be told apart. */
const PERCENTILE_RUNS = 8;

/**
 * The latency distribution of runs compared with nothing (a lone run, a run under its own load):
 * one chart per metric (TTFT, TPOT, ITL, end to end), a line per run across the percentiles its
 * source gives; a run compared with others has its percentiles in the comparison's charts.
 */
function percentileCharts(d: Derived, s: Strings, l: Labels): ChartSpec[] {
  const runs = d.standalone.map((f) => f.run).slice(0, PERCENTILE_RUNS);
  const section: ChartSection = { kind: 'latency' };
  const out: ChartSpec[] = [];
  for (const [metric, pick, q] of [
    ['ttft', (r: Run) => r.ttftMs, 'ttftMs'],
    ['tpot', (r: Run) => r.tpotMs, 'tpotMs'],
    ['itl', (r: Run) => r.itlMs, 'itlMs'],
    ['e2e', (r: Run) => r.latencyMs, 'latencyS'],
  ] as const) {
    const rows = runs.flatMap((r) => {
      const stat = pick(r);
      const points = PERCENTILES.flatMap((p) => {
        const v = stat?.[p];
        return v === null || v === undefined ? [] : [{ x: p, series: r.label, ...point(q === 'latencyS' ? (seconds(v) as number) : v, q, l) }];
      });
      return points.length >= 2 ? points : [];
    });
    if (rows.length === 0) continue;
    const title = word(s, `chart.percentiles.${metric}`);
    const several = new Set(rows.map((r) => r.series)).size > 1;
    const spec = {
      ...base(title),
      data: { values: rows.map((r) => ({ ...r, aria: `${r.series}, ${r.x}: ${r.text}` })) },
      encoding: {
        x: { field: 'x', type: 'ordinal', sort: [...PERCENTILES], title: word(s, 'axis.percentile'), axis: { labelAngle: 0 } },
        y: { field: 'value', type: 'quantitative', title: word(s, q === 'latencyS' ? 'axis.seconds' : 'axis.ms') },
        color: several ? { field: 'series', type: 'nominal', title: word(s, 'legend.run') } : { value: PALETTE[0] },
        detail: { field: 'series', type: 'nominal' },
        description: { field: 'aria', type: 'nominal' },
      },
      layer: [{ mark: { type: 'line', point: true } }, { mark: { type: 'text', dy: -8, fontSize: 10, color: '#333' }, encoding: { text: { field: 'text', type: 'nominal' } } }],
    } as TopLevelSpec;
    out.push({ kind: 'latency-percentiles', section, file: `latency-percentiles-${metric}`, title, spec });
  }
  return out;
}

/** A score's 95 % interval in percent, where derive knows one. */
function intervalOf(a: { low: number | null; high: number | null }): { low?: number; high?: number } {
  return a.low === null || a.high === null ? {} : { low: round(a.low * 100, 1), high: round(a.high * 100, 1) };
}

/**
 * Accuracy per variant on a 0–100 % axis (a narrower one would make one question look like a gap),
 * each bar with its 95 % interval and its count of correct answers above it.
 */
function accuracyBars(title: string, rows: { run: string; value: number; text: string; low?: number; high?: number }[], order: string[], yTitle: string): TopLevelSpec {
  return {
    ...base(title),
    data: { values: rows.map((r) => ({ ...r, top: r.high ?? r.value })) },
    encoding: {
      x: { field: 'run', type: 'nominal', sort: order, title: null, axis: bandAxis(order.filter((r) => rows.some((x) => x.run === r)), WIDTH) },
      y: { field: 'value', type: 'quantitative', title: yTitle, scale: { domain: [0, 100] } },
    },
    layer: [
      { mark: { type: 'bar', color: PALETTE[0], cornerRadiusEnd: 2 } },
      { mark: { type: 'rule', color: '#333' }, encoding: { y: { field: 'low', type: 'quantitative' }, y2: { field: 'high' } } },
      { mark: { type: 'tick', color: '#333', thickness: 1, size: 12 }, encoding: { y: { field: 'low', type: 'quantitative' } } },
      { mark: { type: 'tick', color: '#333', thickness: 1, size: 12 }, encoding: { y: { field: 'high', type: 'quantitative' } } },
      { mark: { type: 'text', dy: -6, fontSize: 10, color: '#333' }, encoding: { y: { field: 'top', type: 'quantitative' }, text: { field: 'text', type: 'nominal' } } },
    ],
  } as TopLevelSpec;
}

/** How the per-user axis was found, as its title says it: every run by TPOT, every run by throughput ÷ concurrency, or some of each. */
export function perUserBasis(runs: readonly ParetoRun[]): 'tpot' | 'throughput-per-concurrency' | 'mixed' {
  const from = new Set(runs.map((p) => p.perUserFrom));
  return from.size > 1 ? 'mixed' : (runs[0]?.perUserFrom ?? 'tpot');
}

/** The latency the throughput–latency chart draws: every run's mean end-to-end latency, else every run's p50; null when neither covers the runs. */
export function e2eOf(runs: readonly ParetoRun[]): { stat: 'mean' | 'p50'; values: Map<ParetoRun, number> } | null {
  for (const stat of ['mean', 'p50'] as const) {
    const values = new Map(runs.flatMap((p) => (p.run.latencyMs?.[stat] != null ? [[p, (p.run.latencyMs[stat] as number) / 1000] as const] : [])));
    if (values.size === runs.length) return { stat, values };
  }
  return null;
}

/**
 * Output tokens/s per GPU against tokens/s per user, a point per run, a colour per server
 * configuration, the front drawn as a line through its runs; and output tokens/s per GPU against
 * end-to-end latency. Only where the runs trade one for the other (paretoShown).
 */
function paretoCharts(runs: readonly ParetoRun[], s: Strings, l: Labels): ChartSpec[] {
  if (!paretoShown(runs)) return [];
  const section: ChartSection = { kind: 'pareto' };
  const configs = [...new Set(runs.map((p) => p.config))];
  const legend = configs.length > 1;
  const perGpu = word(s, 'axis.tokPerSecPerGpu');
  const text = (v: number, d = 1) => formatFixed(v, l.locale, d);
  const colour = legend
    ? { field: 'config', type: 'nominal', title: word(s, 'legend.config'), sort: configs }
    : { field: 'front', type: 'nominal', title: null, sort: [word(s, 'series.front'), word(s, 'series.dominated')], scale: { range: [PALETTE[0], '#9a9a9a'] } };
  const values = runs.map((p) => ({
    x: Number(p.tokPerSecPerUser.toFixed(3)),
    y: Number(p.tokPerSecPerGpu.toFixed(3)),
    label: p.run.label,
    config: p.config,
    load: p.run.concurrency ?? p.run.requestRate ?? 0,
    front: word(s, p.onFront ? 'series.front' : 'series.dominated'),
    aria: `${p.run.label}: ${text(p.tokPerSecPerGpu)} ${perGpu}, ${text(p.tokPerSecPerUser)} ${word(s, 'axis.tokPerSecPerUser.short')}${p.onFront ? ` (${word(s, 'series.front')})` : ''}`,
  }));
  const front = runs.filter((p) => p.onFront).sort((a, b) => a.tokPerSecPerUser - b.tokPerSecPerUser).map((p, order) => ({ x: Number(p.tokPerSecPerUser.toFixed(3)), y: Number(p.tokPerSecPerGpu.toFixed(3)), order }));
  const title = word(s, 'chart.pareto');
  const out: ChartSpec[] = [
    {
      kind: 'pareto',
      section,
      file: 'pareto',
      title,
      spec: {
        ...base(title),
        layer: [
          {
            data: { values: front },
            mark: { type: 'line', color: '#888', strokeDash: [4, 3], interpolate: 'step-after' },
            encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' }, order: { field: 'order', type: 'quantitative' } },
          },
          // One line per server configuration, in load order: each configuration's own curve.
          ...(legend
            ? [{ data: { values }, mark: { type: 'line', strokeWidth: 1, opacity: 0.6 }, encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' }, color: { field: 'config', type: 'nominal', sort: configs, title: word(s, 'legend.config') }, detail: { field: 'config', type: 'nominal' }, order: { field: 'load', type: 'quantitative' } } }]
            : []),
          {
            data: { values },
            mark: { type: 'point', filled: true, size: 80 },
            encoding: {
              x: { field: 'x', type: 'quantitative', title: word(s, `axis.tokPerSecPerUser.${perUserBasis(runs)}`), scale: { zero: false, padding: 20 } },
              y: { field: 'y', type: 'quantitative', title: perGpu, scale: { zero: true } },
              color: colour,
              shape: legend ? { field: 'front', type: 'nominal', title: null, sort: [word(s, 'series.front'), word(s, 'series.dominated')], scale: { range: ['circle', 'cross'] } } : { value: 'circle' },
              description: { field: 'aria', type: 'nominal' },
            },
          },
          { data: { values }, mark: { type: 'text', dx: 7, dy: -7, align: 'left', fontSize: 10, color: '#333' }, encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' }, text: { field: 'label', type: 'nominal' } } },
        ],
      } as TopLevelSpec,
    },
  ];
  const e2e = e2eOf(runs);
  if (e2e) {
    const t2 = word(s, 'chart.throughputLatency');
    const rows = runs.map((p) => {
      const lat = e2e.values.get(p) as number;
      return {
        x: Number(lat.toFixed(4)),
        y: Number(p.tokPerSecPerGpu.toFixed(3)),
        label: p.run.label,
        config: p.config,
        front: word(s, p.onFront ? 'series.front' : 'series.dominated'),
        aria: `${p.run.label}: ${text(p.tokPerSecPerGpu)} ${perGpu}, ${formatFixed(lat, l.locale, l.digits.latencyS)} s`,
      };
    });
    out.push({
      kind: 'throughput-latency',
      section,
      file: 'throughput-latency',
      title: t2,
      spec: {
        ...base(t2),
        data: { values: rows },
        encoding: {
          x: { field: 'x', type: 'quantitative', title: word(s, `axis.e2eS.${e2e.stat}`), scale: { zero: false, padding: 20 } },
          y: { field: 'y', type: 'quantitative', title: perGpu, scale: { zero: true } },
        },
        layer: [
          { mark: { type: 'point', filled: true, size: 80 }, encoding: { color: legend ? { field: 'config', type: 'nominal', title: word(s, 'legend.config'), sort: configs } : { value: PALETTE[0] }, description: { field: 'aria', type: 'nominal' } } },
          { mark: { type: 'text', dx: 7, dy: -7, align: 'left', fontSize: 10, color: '#333' }, encoding: { text: { field: 'label', type: 'nominal' } } },
        ],
      } as TopLevelSpec,
    });
  }
  return out;
}

/** The charts of one experiment, in report order; `digits` are the report's (see numbers.ts), so that a chart label reads as the table does. */
export function chartsFor(d: Derived, s: Strings, locale: string, digits: Digits): ChartSpec[] {
  const out: ChartSpec[] = [];
  const l: Labels = { locale, digits };
  d.comparisons.forEach((c, i) => out.push(...comparisonCharts(c, s, l, i, d.comparisons.length)));
  d.sweeps.forEach((sw, i) => out.push(...sweepCharts(sw, s, l, i, d.sweeps.length)));
  out.push(...paretoCharts(d.pareto, s, l));
  out.push(...percentileCharts(d, s, l));
  const accuracy: ChartSection = { kind: 'accuracy' };
  if (d.accuracy.length) {
    const rows = d.accuracy.map((a) => ({
      run: d.accuracy.filter((x) => x.variant === a.variant).length > 1 ? `${a.variant} · ${a.task}` : a.variant,
      value: round(a.value * 100, 2),
      text: a.correct !== null && a.total !== null ? `${a.correct}/${a.total}` : formatPercent(a.value, locale),
      ...intervalOf(a),
    }));
    const title = word(s, 'chart.accuracy');
    out.push({ kind: 'accuracy', section: accuracy, file: 'accuracy', title, spec: accuracyBars(title, rows, rows.map((r) => r.run), word(s, 'axis.accuracyPct')) });
    const joined = d.accuracy.filter((a) => a.run?.outputTokenThroughput != null);
    if (joined.length >= 2) {
      const t2 = word(s, 'chart.accuracyVsThroughput');
      const values = joined.map((a) => ({ x: round(a.run?.outputTokenThroughput as number), y: round(a.value * 100, 2), label: a.variant, ...intervalOf(a) }));
      out.push({
        kind: 'accuracy-vs-throughput',
        section: accuracy,
        file: 'accuracy-vs-throughput',
        title: t2,
        spec: {
          ...base(t2),
          data: { values },
          encoding: {
            x: { field: 'x', type: 'quantitative', title: word(s, 'axis.decodeTokensPerS'), scale: { zero: false, padding: 30 } },
            y: { field: 'y', type: 'quantitative', title: word(s, 'axis.accuracyPct'), scale: { domain: [0, 100] } },
          },
          layer: [
            { mark: { type: 'rule', color: '#666' }, encoding: { y: { field: 'low', type: 'quantitative' }, y2: { field: 'high' } } },
            { mark: { type: 'point', filled: true, size: 90, color: PALETTE[0] } },
            { mark: { type: 'text', dx: 8, align: 'left', fontSize: 11, color: '#333' }, encoding: { text: { field: 'label', type: 'nominal' } } },
          ],
        } as TopLevelSpec,
      });
    }
  }
  return out;
}
