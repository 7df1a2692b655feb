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

export interface Regression {
  metric: 'outputTokenThroughput' | 'ttftMs' | 'tpotMs';
  /** Experiment ids of the two points. */
  from: string;
  to: string;
  /** Signed fraction: (to − from) / from. */
  change: number;
  /** What else differs between the two points' setups. */
  differences: Difference[];
}

export interface Series {
  keyId: string;
  key: RunKey;
  points: SeriesPoint[];
  regressions: Regression[];
}

/** A change beyond this fraction (in the direction that is worse) is a regression, unless configured otherwise. */
export const DEFAULT_REGRESSION_THRESHOLD = 0.05;

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

interface Keyed {
  exp: Experiment;
  facts: RunFacts;
  key: RunKey;
  keyId: string;
}

function differencesBetween(a: Keyed, b: Keyed): Difference[] {
  const out: Difference[] = [];
  const envA = environmentOf(a.facts.run, a.exp);
  const envB = environmentOf(b.facts.run, b.exp);
  const flags = (k: Keyed): string | null => {
    const args = k.facts.log?.nonDefaultArgs;
    return k.facts.launch ?? (args ? JSON.stringify(args) : null);
  };
  const pairs: [Difference['what'], string | null, string | null][] = [
    ['engineVersion', a.facts.setup.vllmVersion, b.facts.setup.vllmVersion],
    ['driver', envA?.driverVersion ?? null, envB?.driverVersion ?? null],
    ['cuda', envA?.cudaVersion ?? null, envB?.cudaVersion ?? null],
    ['launchFlags', flags(a), flags(b)],
  ];
  for (const [what, from, to] of pairs) if (from !== to) out.push({ what, from, to });
  return out;
}

/**
 * Every run's key, and the series of the keys found in more than one experiment, oldest point
 * first, with each change between consecutive points beyond `threshold` in the worse direction
 * (lower throughput, higher TTFT or TPOT p99).
 */
export function seriesOf(experiments: Experiment[], toolOf: (run: Run) => string | null, threshold = DEFAULT_REGRESSION_THRESHOLD): { keys: Map<Run, { key: RunKey; keyId: string }>; series: Series[] } {
  const keyed: Keyed[] = [];
  for (const exp of experiments) {
    for (const facts of derive(exp).facts) {
      const key = keyOf(facts, exp, toolOf(facts.run));
      keyed.push({ exp, facts, key, keyId: keyIdOf(key) });
    }
  }
  const keys = new Map(keyed.map((k) => [k.facts.run, { key: k.key, keyId: k.keyId }]));
  const byId = new Map<string, Keyed[]>();
  for (const k of keyed) byId.set(k.keyId, [...(byId.get(k.keyId) ?? []), k]);
  const series: Series[] = [];
  for (const [keyId, all] of [...byId].sort(([a], [b]) => a.localeCompare(b))) {
    if (new Set(all.map((k) => k.exp.id)).size < 2) continue;
    // Runs whose model or GPU is unknown could be anything: they are never put side by side.
    if (all[0]?.key.model === null || all[0]?.key.gpu === null) continue;
    const ordered = [...all].sort((a, b) => a.exp.date.localeCompare(b.exp.date) || a.exp.id.localeCompare(b.exp.id) || a.facts.run.index - b.facts.run.index);
    const points: SeriesPoint[] = ordered.map(({ exp, facts: { run } }) => ({
      experiment: exp.id,
      date: exp.date,
      file: run.file,
      index: run.index,
      outputTokenThroughput: run.outputTokenThroughput,
      ttftMs: p99(run.ttftMs),
      tpotMs: p99(run.tpotMs),
    }));
    const regressions: Regression[] = [];
    for (let i = 1; i < ordered.length; i++) {
      const a = ordered[i - 1] as Keyed;
      const b = ordered[i] as Keyed;
      if (a.exp.id === b.exp.id) continue;
      const pa = points[i - 1] as SeriesPoint;
      const pb = points[i] as SeriesPoint;
      for (const [metric, worse] of [['outputTokenThroughput', -1], ['ttftMs', 1], ['tpotMs', 1]] as const) {
        const from = pa[metric];
        const to = pb[metric];
        if (from === null || to === null || from === 0) continue;
        const change = (to - from) / from;
        if (change * worse > threshold) regressions.push({ metric, from: a.exp.id, to: b.exp.id, change, differences: differencesBetween(a, b) });
      }
    }
    series.push({ keyId, key: ordered[0]?.key as RunKey, points, regressions });
  }
  return { keys, series };
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
