/**
 * Runs across experiments: each run's configuration key, and the series the runs of one key form
 * over the experiments' dates, with the changes between consecutive points that exceed a threshold.
 *
 * The key is what makes two runs the same measurement: model, precision, GPU type and count,
 * TP/PP/DP, engine, input and output lengths, load (concurrency or rate) and load tool. The engine's
 * version is not in it: rerunning a configuration after an upgrade continues its series, and the
 * version is one of the differences a change is shown with.
 */
import type { Environment, Experiment, Run, Stat } from '../model.js';
import { derive, factOf, type RunFacts } from './derive.js';
import { shortModel } from './pair.js';
import { DEFAULT_REGRESSION_THRESHOLD } from '../config.js';

export interface RunKey {
  model: string | null;
  precision: string | null;
  gpu: string | null;
  gpuCount: number | null;
  tp: number | null;
  pp: number | null;
  dp: number | null;
  engine: string | null;
  inputLength: number | null;
  outputLength: number | null;
  concurrency: number | null;
  requestRate: number | null;
  tool: string | null;
}

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
  what: 'engineVersion' | 'driver' | 'cuda' | 'launchFlags';
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
  keyId: string;
  key: RunKey;
  points: SeriesPoint[];
  regressions: Regression[];
  /** One step per experiment, oldest first. */
  steps: SeriesStep[];
  /** The largest run-to-run spread of output throughput among repeats in one experiment, (max − min) / median; null without repeats. */
  spread: number | null;
  /** The change beyond which a step is a regression: the threshold, or the known spread where that is larger. */
  limit: number;
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

/** The run's capture, as pairing gave it (a lone capture serves every run). */
const environmentOf = (run: Run, exp: Experiment): Environment | undefined => exp.environments.find((e) => e.file === run.environment);

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

/**
 * What the views across experiments need of one run: its key, its headline figures and the setup
 * a change is explained by. Small plain data: the build keeps it with each experiment's entry, so
 * series are found without reading any experiment again.
 */
export interface KeyedRun {
  experiment: string;
  date: string;
  file: string;
  index: number;
  label: string;
  key: RunKey;
  keyId: string;
  outputTokenThroughput: number | null;
  /** p99, or null (a mean never stands in). */
  ttftMs: number | null;
  tpotMs: number | null;
  /** Output tokens/s per GPU the server used, where the GPU count is known. */
  tokPerSecPerGpu: number | null;
  setup: Record<Difference['what'], string | null>;
}

/** Every run of an experiment with its key. */
export function keyedRuns(exp: Experiment, toolOf: (run: Run) => string | null): KeyedRun[] {
  return derive(exp).facts.map((facts) => {
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
      setup: {
        engineVersion: facts.setup.vllmVersion,
        driver: env?.driverVersion ?? null,
        cuda: env?.cudaVersion ?? null,
        launchFlags: facts.launch ?? (args ? JSON.stringify(args) : null),
      },
    };
  });
}

/** The median of a non-empty list. */
export function median(vs: readonly number[]): number {
  const s = [...vs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

function figureOf(vs: (number | null)[]): StepFigure | null {
  const known = vs.filter((v): v is number => v !== null);
  if (known.length === 0) return null;
  let min = known[0] as number;
  let max = min;
  for (const v of known) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { median: median(known), min, max };
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
  const byId = new Map<string, KeyedRun[]>();
  for (const k of keyed) {
    const list = byId.get(k.keyId);
    if (list) list.push(k);
    else byId.set(k.keyId, [k]);
  }
  const series: Series[] = [];
  for (const [keyId, all] of [...byId].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
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
    const figures = groups.map((g) => metricRecord((m) => figureOf(g.map((k) => k[m]))));
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
    series.push({ keyId, key: ordered[0]?.key as RunKey, points, regressions, steps, spread, limit });
  }
  return series;
}

/** Every run's key, and the series of the keys found in more than one experiment (see `seriesFrom`). */
export function seriesOf(experiments: Experiment[], toolOf: (run: Run) => string | null, threshold = DEFAULT_REGRESSION_THRESHOLD): { keys: Map<string, KeyedRun>; series: Series[] } {
  const keyed = experiments.flatMap((exp) => keyedRuns(exp, toolOf));
  return { keys: new Map(keyed.map((k) => [runRef(k.experiment, k.file, k.index), k])), series: seriesFrom(keyed, threshold) };
}

/** A run's reference across experiments: experiment, file and index. */
export function runRef(experiment: string, file: string, index: number): string {
  return `${experiment}\u0000${file}\u0000${index}`;
}

export interface ParetoPoint {
  file: string;
  index: number;
  /** Output tokens per second per GPU: output throughput ÷ the GPUs the server used. */
  tokPerSecPerGpu: number;
  /** Output tokens per second one user sees: 1000 ÷ mean TPOT (ms), else output throughput ÷ concurrency. */
  tokPerSecPerUser: number;
  /** How tokPerSecPerUser was found. */
  perUserFrom: 'tpot' | 'throughput-per-concurrency';
  /** No other run of the experiment is at least as good on both axes and better on one. */
  onFront: boolean;
}

/**
 * Throughput per GPU against interactivity (tokens per second per user) for the runs of one
 * experiment whose GPU count is known, with the Pareto front (higher is better on both axes).
 * Fewer than two such runs: no front to speak of, an empty list.
 */
export function paretoOf(exp: Experiment): ParetoPoint[] {
  const points: ParetoPoint[] = [];
  for (const f of derive(exp).facts) {
    const { run } = f;
    // The GPUs the server used (TP × PP, experiment.yaml), else those its capture lists.
    const gpus = f.gpus ?? (environmentOf(run, exp)?.gpus.length || null);
    if (gpus === null || gpus <= 0 || run.outputTokenThroughput === null) continue;
    const tpot = run.tpotMs?.mean ?? null;
    const perUser = tpot !== null && tpot > 0 ? 1000 / tpot : run.concurrency ? run.outputTokenThroughput / run.concurrency : null;
    if (perUser === null) continue;
    points.push({
      file: run.file,
      index: run.index,
      tokPerSecPerGpu: run.outputTokenThroughput / gpus,
      tokPerSecPerUser: perUser,
      perUserFrom: tpot !== null && tpot > 0 ? 'tpot' : 'throughput-per-concurrency',
      onFront: false,
    });
  }
  if (points.length < 2) return [];
  for (const p of points) {
    p.onFront = !points.some(
      (q) => q !== p && q.tokPerSecPerGpu >= p.tokPerSecPerGpu && q.tokPerSecPerUser >= p.tokPerSecPerUser && (q.tokPerSecPerGpu > p.tokPerSecPerGpu || q.tokPerSecPerUser > p.tokPerSecPerUser),
    );
  }
  return points;
}
