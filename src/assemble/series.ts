/**
 * Runs across experiments: each run's configuration key, and the series the runs of one key form
 * over the experiments' dates, with the changes between consecutive points that exceed a threshold.
 *
 * The key is what makes two runs the same measurement: model, precision, GPU type and count,
 * TP/PP/DP, engine, input and output lengths, load (concurrency or rate) and load tool. The engine's
 * version is not in it: rerunning a configuration after an upgrade continues its series, and the
 * version is one of the differences a change is shown with.
 */
import { DEFAULT_REGRESSION_THRESHOLD } from '../config.js';
import type { Experiment, KeyedRun, Run, RunKey, SetupField, Slo, Stat } from '../model.js';
import { configLabel, factOf, rangeOf, type RunFacts } from './derive.js';
import { environmentOf, shortModel } from './pair.js';
import { checksOf } from './slo.js';

export type { KeyedRun, RunKey };

export interface SeriesPoint {
  experiment: string;
  date: string;
  file: string;
  index: number;
  outputTokenThroughput: number | null;
  /** p99 where the file gives it; null otherwise (a mean is never put in its place). */
  ttftMs: number | null;
  tpotMs: number | null;
}

export interface Difference {
  what: SetupField;
  from: string | null;
  to: string | null;
}

export type SeriesMetric = 'outputTokenThroughput' | 'ttftMs' | 'tpotMs';
/** The direction that is worse: lower throughput, higher latency. */
export const WORSE: Readonly<Record<SeriesMetric, -1 | 1>> = { outputTokenThroughput: -1, ttftMs: 1, tpotMs: 1 };
const METRICS = Object.keys(WORSE) as SeriesMetric[];

export interface Regression {
  metric: SeriesMetric;
  /** Experiment ids of the two points. */
  from: string;
  to: string;
  /** Signed fraction: (to − from) / from, of the two experiments' medians. */
  change: number;
  /** What else differs between the two points' setups. */
  differences: Difference[];
}

/** A figure of one experiment in a series: the median of its runs of the key, with their range. */
export interface StepFigure {
  median: number;
  min: number;
  max: number;
}

/** One experiment's point in a series: its runs of the key taken together (repeats give a median and a range). */
export interface SeriesStep {
  experiment: string;
  date: string;
  /** Runs of the key in this experiment. */
  runs: number;
  figures: Record<SeriesMetric, StepFigure | null>;
  /** Signed change of each median from the previous step, and from the best median of the series. */
  vsPrevious: Record<SeriesMetric, number | null>;
  vsBest: Record<SeriesMetric, number | null>;
  /** What differs from the previous step's setup. */
  differences: Difference[];
}

export interface Series {
  /** The key's string; with " label=…" added where an experiment holds the key under several labels. */
  keyId: string;
  key: RunKey;
  /** The label that splits the key, where one experiment holds it under several labels; else null. */
  label: string | null;
  points: SeriesPoint[];
  regressions: Regression[];
  /** One step per experiment, oldest first. */
  steps: SeriesStep[];
  /** The largest run-to-run spread of output throughput among repeats in one experiment, (max − min) / median; null without repeats. */
  spread: number | null;
  /** The change beyond which a step is a regression: the threshold, or the known spread where that is larger. */
  limit: number;
  /** Its input or output length is a rounded mean (KeyedRun approxLengths). */
  approxLengths: boolean;
}


/** Two significant digits: lengths that differ by rounding only (a mean of 1021.4 vs 1024) are the same length. */
function bucket(v: number | null): number | null {
  if (v === null || !(v > 0)) return null;
  const p = 10 ** (Math.floor(Math.log10(v)) - 1);
  return Math.round(v / p) * p;
}

function numberParam(run: Run, key: string): number | null {
  const v = run.params?.[key] ?? run.metadata[key];
  return v !== undefined && /^\d+(\.\d+)?$/.test(v) ? Number(v) : null;
}

/** The precision's token, one spelling: "FP8 (compressed-tensors)", "fp8" → "FP8". */
const precisionToken = (p: string | null): string | null => (p === null ? null : (p.split(' ')[0] ?? p).toUpperCase());

export function keyOf(f: RunFacts, exp: Experiment, tool: string | null): RunKey {
  const { run, setup, log } = f;
  const env = environmentOf(run, exp);
  return {
    model: shortModel(setup.model),
    precision: precisionToken(f.precision),
    gpu: env?.gpus[0]?.name ?? factOf(exp, 'gpu'),
    gpuCount: f.gpus,
    tp: setup.tensorParallel,
    pp: setup.pipelineParallel,
    dp: log?.dataParallelSize ?? null,
    engine: log !== null || setup.vllmVersion !== null ? 'vllm' : null,
    inputLength: numberParam(run, 'random_input_len') ?? bucket(run.inputTokensMean),
    outputLength: run.maxTokens ?? numberParam(run, 'random_output_len') ?? bucket(run.outputTokensMean),
    concurrency: run.concurrency,
    requestRate: run.requestRate,
    tool,
  };
}

/** The key's fields in the key's string, each with its short name. */
const KEY_LABELS: readonly [keyof RunKey, string][] = [
  ['model', 'model'], ['precision', 'precision'], ['gpu', 'gpu'], ['gpuCount', 'gpus'], ['tp', 'tp'], ['pp', 'pp'], ['dp', 'dp'],
  ['engine', 'engine'], ['inputLength', 'in'], ['outputLength', 'out'], ['concurrency', 'c'], ['requestRate', 'rate'], ['tool', 'tool'],
];

/** The key as one readable string ("model=… precision=… gpu=…", `?` where unknown): equal strings, equal keys. */
export function keyIdOf(k: RunKey): string {
  return KEY_LABELS.map(([field, label]) => `${label}=${k[field] === null ? '?' : String(k[field])}`).join(' ');
}

const p99 = (s: Stat | null): number | null => s?.p99 ?? null;

/** Every run of an experiment with its key, from its derived facts; `slo`: the objective its runs are checked against, if any. */
export function keyedRuns(exp: Experiment, facts: readonly RunFacts[], toolOf: (run: Run) => string | null, slo: Slo | null = null): KeyedRun[] {
  return facts.map((facts) => {
    const { run } = facts;
    const key = keyOf(facts, exp, toolOf(run));
    const env = environmentOf(run, exp);
    const args = facts.log?.nonDefaultArgs;
    const gpus = facts.gpus;
    return {
      experiment: exp.id,
      date: exp.date,
      file: run.file,
      index: run.index,
      label: run.label,
      key,
      keyId: keyIdOf(key),
      outputTokenThroughput: run.outputTokenThroughput,
      ttftMs: p99(run.ttftMs),
      tpotMs: p99(run.tpotMs),
      tokPerSecPerGpu: gpus !== null && gpus > 0 && run.outputTokenThroughput !== null ? run.outputTokenThroughput / gpus : null,
      sloMet: slo === null ? null : checksOf(run, slo).met,
      approxLengths: (key.inputLength !== null && numberParam(run, 'random_input_len') === null) || (key.outputLength !== null && run.maxTokens === null && numberParam(run, 'random_output_len') === null),
      setup: {
        engineVersion: facts.setup.vllmVersion,
        driver: env?.driverVersion ?? null,
        cuda: env?.cudaVersion ?? null,
        launchFlags: facts.launch ?? (args ? JSON.stringify(args) : null),
      },
    };
  });
}

const change = (from: number | null | undefined, to: number | null | undefined): number | null =>
  from === null || from === undefined || to === null || to === undefined || from === 0 ? null : (to - from) / from;

function differencesBetween(a: KeyedRun, b: KeyedRun): Difference[] {
  const out: Difference[] = [];
  for (const what of ['engineVersion', 'driver', 'cuda', 'launchFlags'] as const) if (a.setup[what] !== b.setup[what]) out.push({ what, from: a.setup[what], to: b.setup[what] });
  return out;
}

function metricRecord<T>(f: (m: SeriesMetric) => T): Record<SeriesMetric, T> {
  return { outputTokenThroughput: f('outputTokenThroughput'), ttftMs: f('ttftMs'), tpotMs: f('tpotMs') };
}

/**
 * The series of the keys found in more than one experiment, oldest point first. Each experiment is
 * one step: the median of its runs of the key. A change between consecutive steps beyond the limit
 * in the worse direction (lower throughput, higher TTFT or TPOT p99) is a regression; the limit is
 * `threshold`, or the series' own run-to-run spread where repeats show a larger one.
 */
export function seriesFrom(keyed: readonly KeyedRun[], threshold = DEFAULT_REGRESSION_THRESHOLD): Series[] {
  // A key that one experiment holds under several labels (NUMA bindings, say: what the key cannot
  // see) is split by label, so that no step takes the median of different setups.
  const labels = new Map<string, Map<string, Set<string>>>();
  for (const k of keyed) {
    const byExp = labels.get(k.keyId) ?? new Map<string, Set<string>>();
    byExp.set(k.experiment, (byExp.get(k.experiment) ?? new Set()).add(configLabel(k.label)));
    labels.set(k.keyId, byExp);
  }
  const split = (keyId: string) => [...(labels.get(keyId)?.values() ?? [])].some((ls) => ls.size > 1);
  const byId = new Map<string, { label: string | null; runs: KeyedRun[] }>();
  for (const k of keyed) {
    const label = split(k.keyId) ? configLabel(k.label) : null;
    const id = label === null ? k.keyId : `${k.keyId} label=${label}`;
    const entry = byId.get(id);
    if (entry) entry.runs.push(k);
    else byId.set(id, { label, runs: [k] });
  }
  const series: Series[] = [];
  for (const [keyId, { label, runs: all }] of [...byId].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (new Set(all.map((k) => k.experiment)).size < 2) continue;
    // Runs whose model or GPU is unknown could be anything: they are never put side by side.
    if (all[0]?.key.model === null || all[0]?.key.gpu === null) continue;
    const ordered = [...all].sort((a, b) => a.date.localeCompare(b.date) || a.experiment.localeCompare(b.experiment) || a.file.localeCompare(b.file) || a.index - b.index);
    const points: SeriesPoint[] = ordered.map((k) => ({
      experiment: k.experiment, date: k.date, file: k.file, index: k.index,
      outputTokenThroughput: k.outputTokenThroughput, ttftMs: k.ttftMs, tpotMs: k.tpotMs,
    }));
    const groups: KeyedRun[][] = [];
    for (const k of ordered) {
      const last = groups[groups.length - 1];
      if (last && last[0]?.experiment === k.experiment) last.push(k);
      else groups.push([k]);
    }
    const figures = groups.map((g) => metricRecord((m) => rangeOf(g.map((k) => k[m]))));
    const spreads = groups.flatMap((g, i) => {
      const t = figures[i]?.outputTokenThroughput;
      return g.length >= 2 && t && t.median > 0 ? [(t.max - t.min) / t.median] : [];
    });
    const spread = spreads.length ? Math.max(...spreads) : null;
    const limit = Math.max(threshold, spread ?? 0);
    const best = metricRecord((m) => {
      const ms = figures.flatMap((f) => (f[m] ? [f[m].median] : []));
      return ms.length === 0 ? null : WORSE[m] < 0 ? Math.max(...ms) : Math.min(...ms);
    });
    const steps: SeriesStep[] = [];
    const regressions: Regression[] = [];
    groups.forEach((g, i) => {
      const first = g[0] as KeyedRun;
      const prev = i > 0 ? groups[i - 1]?.[0] : undefined;
      const f = figures[i] as Record<SeriesMetric, StepFigure | null>;
      const pf = i > 0 ? figures[i - 1] : undefined;
      const differences = prev ? differencesBetween(prev, first) : [];
      const vsPrevious = metricRecord((m) => change(pf?.[m]?.median, f[m]?.median));
      steps.push({ experiment: first.experiment, date: first.date, runs: g.length, figures: f, vsPrevious, vsBest: metricRecord((m) => change(best[m], f[m]?.median)), differences });
      if (!prev) return;
      for (const m of METRICS) {
        const c = vsPrevious[m];
        if (c !== null && c * WORSE[m] > limit) regressions.push({ metric: m, from: prev.experiment, to: first.experiment, change: c, differences });
      }
    });
    series.push({ keyId, key: ordered[0]?.key as RunKey, label, points, regressions, steps, spread, limit, approxLengths: ordered.some((k) => k.approxLengths) });
  }
  return series;
}

/** Two-sided 95 % quantiles of Student's t for 1 to 30 degrees of freedom. */
const T95 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042];

/** Student's t 95 % two-sided quantile: the table to 30 degrees of freedom, the Cornish–Fisher expansion beyond. */
export function t95(df: number): number {
  if (df < 1) return Number.NaN;
  if (df <= T95.length) return T95[df - 1] as number;
  const z = 1.959964;
  return z + (z ** 3 + z) / (4 * df) + (5 * z ** 5 + 16 * z ** 3 + 3 * z) / (96 * df * df);
}

/** Runs of one configuration measured more than once in one experiment. */
export interface Repeat {
  keyId: string;
  runs: KeyedRun[];
  /** Output throughput: median and range of the runs. */
  figure: StepFigure;
  mean: number;
  /** The 95 % t-interval of the mean; null with fewer than three runs. */
  low: number | null;
  high: number | null;
  /** (max − min) / median. */
  spread: number;
}

/**
 * The repeats among an experiment's runs: two or more with one key and one label but for a " #n"
 * (runs the author labelled apart differ in something the key cannot see, a NUMA binding say), each
 * with an output throughput.
 */
export function repeatsOf(keyed: readonly KeyedRun[]): Repeat[] {
  const byId = new Map<string, KeyedRun[]>();
  for (const k of keyed) {
    if (k.outputTokenThroughput === null) continue;
    const id = `${k.keyId}\u0000${configLabel(k.label)}`;
    byId.set(id, [...(byId.get(id) ?? []), k]);
  }
  const out: Repeat[] = [];
  for (const runs of byId.values()) {
    if (runs.length < 2) continue;
    const keyId = (runs[0] as KeyedRun).keyId;
    const vs = runs.map((k) => k.outputTokenThroughput as number);
    const figure = rangeOf(vs) as StepFigure;
    const n = vs.length;
    const mean = vs.reduce((a, b) => a + b, 0) / n;
    const sd = Math.sqrt(vs.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1));
    const half = n >= 3 ? (t95(n - 1) * sd) / Math.sqrt(n) : null;
    out.push({ keyId, runs, figure, mean, low: half === null ? null : mean - half, high: half === null ? null : mean + half, spread: figure.median > 0 ? (figure.max - figure.min) / figure.median : 0 });
  }
  return out;
}
