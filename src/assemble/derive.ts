/**
 * Derived figures of an experiment: which runs are compared and along what axis, the baseline,
 * ratios and scaling efficiency, concurrency sweeps, validity flags, comparability warnings and
 * the conclusions the figures support. Pure: numbers and codes only; templates hold the words.
 */
import type { Accuracy, Experiment, Run, ServerLog } from '../model.js';
import { shortModel } from './pair.js';
import { paretoOf, type ParetoRun } from './pareto.js';

export type Axis = 'gpus' | 'precision' | 'model' | 'config';

export interface RunFacts {
  run: Run;
  /** GPUs the server used: experiment.yaml `gpus`, else TP × PP (× DP, from the log) from the log or the launch command, else a `2gpu` tag. */
  gpus: number | null;
  log: ServerLog | null;
  /** Weights precision: the log's quantization, else a token of the model name (NVFP4, FP8 …). */
  precision: string | null;
  precisionSource: 'log' | 'model-name' | 'label' | null;
  launch: string | null;
  /** The server's setup from everything known: the log first, then the launch command, then experiment.yaml's facts. */
  setup: Setup;
}

export interface Setup {
  /** The model the run states, else its server log's, else experiment.yaml's `model` fact. */
  model: string | null;
  dtype: string | null;
  kvCacheDtype: string | null;
  tensorParallel: number | null;
  pipelineParallel: number | null;
  vllmVersion: string | null;
}

/** The flags of a `vllm serve` command line that say how the server was set up (long and short spellings). */
export function launchFlags(cmd: string): { dtype: string | null; kvCacheDtype: string | null; tensorParallel: number | null; pipelineParallel: number | null } {
  const flag = (...names: string[]): string | null => {
    for (const n of names) {
      const m = new RegExp(`(?:^|\\s)${n.replace(/-/g, '\\-')}(?:=|\\s+)(\\S+)`).exec(cmd);
      if (m?.[1]) return m[1].replace(/^["']|["']$/g, '');
    }
    return null;
  };
  const int = (v: string | null) => (v !== null && /^\d+$/.test(v) ? Number(v) : null);
  return {
    dtype: flag('--dtype'),
    kvCacheDtype: flag('--kv-cache-dtype'),
    tensorParallel: int(flag('--tensor-parallel-size', '-tp')),
    pipelineParallel: int(flag('--pipeline-parallel-size', '-pp')),
  };
}

/**
 * One of experiment.yaml's facts as text, its key matched without case, `_` or `-` ("kv_cache_dtype" is
 * kvCacheDtype). A fact given per locale ({zh: …, en: …}) says the same thing in each: the English one
 * is read where there is one, so a value is spelt alike whichever way an experiment wrote it.
 */
export function factOf(exp: Experiment, key: string): string | null {
  const v = Object.entries(exp.config?.facts ?? {}).find(([k]) => k.replace(/[_-]/g, '').toLowerCase() === key.toLowerCase())?.[1];
  if (typeof v === 'string' || typeof v === 'number') return String(v);
  if (v === null || typeof v !== 'object') return null;
  const en = (v as Record<string, unknown>)['en'];
  return typeof en === 'string' ? en : (Object.values(v).find((x): x is string => typeof x === 'string') ?? null);
}

function setupOf(run: Run, log: ServerLog | null, launch: string | null, exp: Experiment): Setup {
  const fromLaunch = launch ? launchFlags(launch) : { dtype: null, kvCacheDtype: null, tensorParallel: null, pipelineParallel: null };
  const fact = (key: string): string | null => factOf(exp, key);
  const engine = fact('engine');
  return {
    model: run.model ?? log?.model ?? fact('model'),
    dtype: log?.dtype ?? fromLaunch.dtype,
    kvCacheDtype: log?.kvCacheDtype ?? fromLaunch.kvCacheDtype ?? fact('kvCacheDtype'),
    tensorParallel: log?.tensorParallelSize ?? fromLaunch.tensorParallel,
    pipelineParallel: log?.pipelineParallelSize ?? fromLaunch.pipelineParallel,
    vllmVersion: log?.vllmVersion ?? (engine ? (/\bvLLM v?(\d+\.\d+(?:\.\d+)?)/i.exec(engine)?.[1] ?? null) : null),
  };
}

export interface Ratios {
  requestThroughput: number | null;
  inputTokenThroughput: number | null;
  outputTokenThroughput: number | null;
  latency: number | null;
  ttft: number | null;
}

/** One run against another of its model and precision on fewer GPUs. */
export interface Scaling {
  from: RunFacts;
  to: RunFacts;
  /** GPUs of `to` ÷ GPUs of `from`: the linear figure. */
  gpuRatio: number;
  throughputRatio: number;
  latencyRatio: number | null;
  /** throughputRatio ÷ gpuRatio: 100 % is linear. */
  efficiency: number;
}

export interface Comparison {
  runs: RunFacts[];
  axis: Axis;
  baseline: RunFacts;
  ratios: { facts: RunFacts; ratios: Ratios; gpuRatio: number | null; scalingEfficiency: number | null }[];
  /**
   * GPU scaling within the compared runs: each run against the run of its model and precision on
   * the fewest GPUs (on the GPU axis, against the baseline), where it has more GPUs than that run.
   * A set where GPUs and precision both vary gets its scaling from here, each model measured
   * against itself, never one model on two GPUs against another on one.
   */
  scaling: Scaling[];
  /** Runs ordered by output token throughput, highest first. */
  ranking: RunFacts[];
  differences: Difference[];
  /**
   * Run-to-run spread where a configuration was measured more than once (runs labelled alike, told
   * apart by " #n"): the largest (max − min) / max of output throughput among the repeats; null without repeats.
   */
  spread: number | null;
}

export interface Difference {
  field: 'inputTokensMean' | 'outputTokensMean' | 'maxTokens' | 'concurrency' | 'requests' | 'vllmVersion' | 'model';
  values: { label: string; value: string | number | null }[];
}

export interface SweepPoint {
  run: Run;
  concurrency: number;
}

export interface Sweep {
  source: string;
  points: SweepPoint[];
  peak: SweepPoint;
  /** First concurrency with failed requests, if any. */
  firstFailures: SweepPoint | null;
  /** First concurrency after which request throughput grows less than 5 %. */
  saturation: SweepPoint | null;
}

export type FlagCode = 'failed-requests' | 'short-output' | 'concurrency-not-reached' | 'no-completed' | 'throughput-mismatch';

export interface Flag {
  run: Run;
  code: FlagCode;
  /** Numbers for the sentence: failed/total, mean output vs max tokens, peak vs target concurrency. */
  values: Record<string, number>;
}

export interface AccuracyRow {
  variant: string;
  task: string;
  metric: string;
  value: number;
  correct: number | null;
  total: number | null;
  stderr: number | null;
  /** 95 % interval of the score: Wilson's from correct/total, else value ± Z95 × stderr; null when neither is known. */
  low: number | null;
  high: number | null;
  run: Run | null;
  file: string;
}

export type Conclusion =
  | { kind: 'ranking'; metric: 'outputTokenThroughput'; order: { label: string; value: number }[]; baselineLabel: string; bestRatio: number | null }
  | { kind: 'scaling'; fromLabel: string; toLabel: string; gpusFrom: number; gpusTo: number; linear: number; throughputRatio: number; latencyRatio: number | null; efficiency: number }
  | { kind: 'sweep-peak'; concurrency: number; value: number; qps: number | null }
  | { kind: 'sweep-saturation'; concurrency: number }
  | { kind: 'sweep-failures'; concurrency: number; failed: number }
  | { kind: 'accuracy'; best: { variant: string; value: number }[]; worst: { variant: string; value: number }[]; task: string }
  | {
      kind: 'accuracy-within-noise';
      task: string;
      variants: string[];
      /** Lowest and highest score, and, where every variant answered the same questions, the counts. */
      min: number;
      max: number;
      minCorrect: number | null;
      maxCorrect: number | null;
      questions: number | null;
    }
  | { kind: 'accuracy-tradeoff'; fastest: string; fastestAccuracy: number; bestAccuracy: number; bestVariants: string[] }
  /** Configurations whose output throughput differs by no more than the repeats' spread: not told apart by this data. */
  | { kind: 'within-spread'; spread: number; pairs: { a: string; b: string; difference: number }[] }
  /** Configurations whose output throughput differs by less than the figures resolve (RESOLUTION). */
  | { kind: 'within-resolution'; pairs: { a: string; b: string; difference: number }[] }
  /** One configuration measured several times and nothing else under its load: the median output throughput and the range. */
  | { kind: 'repeats'; label: string; n: number; median: number; min: number; max: number; spread: number }
  /** What a run compared with nothing shows on its own. */
  | { kind: 'single'; label: string; decode: number | null; qps: number | null; concurrency: number | null; latencyS: number | null; latencyIsP50: boolean; ttftP50Ms: number | null };

export interface Derived {
  facts: RunFacts[];
  comparisons: Comparison[];
  sweeps: Sweep[];
  standalone: RunFacts[];
  flags: Flag[];
  accuracy: AccuracyRow[];
  conclusions: Conclusion[];
  /** Throughput per GPU against tokens per user, with the Pareto front (empty with fewer than two runs to place). */
  pareto: ParetoRun[];
}

/**
 * Thresholds, each with its reason:
 * - SWEEP_MIN_POINTS: fewer concurrency levels than this draw no curve worth a sweep section; two
 *   runs are a comparison instead.
 * - SATURATION_GAIN: request throughput growing by less than 5 % from one concurrency level to the
 *   next is within the usual run-to-run spread of these tools: the server is saturated there.
 * - SHORT_OUTPUT: a mean output under 98 % of max_tokens means requests stopped early (EOS before the
 *   limit); 2 % leaves room for the odd request ending one or two tokens short.
 * - LENGTH_TOLERANCE: mean prompt or output lengths more than 5 % apart mean two runs did not do
 *   the same work, so their throughput ratio is flagged as not comparable.
 */
export const SWEEP_MIN_POINTS = 3;
/** 95 % two-sided normal quantile: accuracy intervals (Wilson) and whether two scores differ beyond chance. */
export const Z95 = 1.959964;
export const SATURATION_GAIN = 1.05;
export const SHORT_OUTPUT = 0.98;
export const LENGTH_TOLERANCE = 0.05;
/**
 * A printed output throughput more than 1 % away from completed requests × mean output tokens ÷
 * duration disagrees with the run's own figures: their rounding (three decimals) moves it far less.
 */
export const THROUGHPUT_TOLERANCE = 0.01;

const PRECISION_TOKENS = ['NVFP4', 'MXFP4', 'FP4', 'FP8', 'INT8', 'W8A8', 'W4A16', 'INT4', 'AWQ', 'GPTQ', 'BF16', 'FP16'];

export function precisionFromName(name: string | null): string | null {
  if (!name) return null;
  const upper = name.toUpperCase();
  for (const t of PRECISION_TOKENS) if (new RegExp(`(^|[^A-Z0-9])${t}([^A-Z0-9]|$)`).test(upper)) return t;
  return null;
}

function gpusOf(run: Run, exp: Experiment, log: ServerLog | null, launch: string | null): number | null {
  const own = exp.config?.runs[run.file]?.gpus;
  if (own !== undefined) return own;
  if (log?.tensorParallelSize) return log.tensorParallelSize * (log.pipelineParallelSize ?? 1) * (log.dataParallelSize ?? 1);
  const flags = launch ? launchFlags(launch) : null;
  if (flags?.tensorParallel) return flags.tensorParallel * (flags.pipelineParallel ?? 1);
  for (const t of run.tags) {
    const m = /^(\d+)x?gpus?$/.exec(t) ?? /^tp(\d+)$/.exec(t);
    if (m?.[1]) return Number(m[1]);
  }
  return null;
}

/** The median of a non-empty list. */
export function median(vs: readonly number[]): number {
  const sorted = [...vs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Median, least and greatest of the known values; null when none is known. */
export function rangeOf(vs: readonly (number | null)[]): { median: number; min: number; max: number } | null {
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

/** The engine of a run's log: the last one in the file that came up (a retry beats the failure). */
export function logOf(run: Run, exp: Experiment): ServerLog | null {
  if (!run.serverLog) return null;
  const logs = exp.serverLogs.filter((l) => l.file === run.serverLog);
  const up = logs.filter((l) => !l.findings.some((f) => f.code === 'engine-start-failed' || f.code === 'cuda-oom'));
  return up[up.length - 1] ?? logs[logs.length - 1] ?? null;
}

/**
 * Quantization methods a log names that are checkpoint formats, not precisions (`compressed-tensors`
 * holds FP8, INT8, W4A16 …): the precision comes from the model name or the user's flag beside them.
 */
const CHECKPOINT_FORMATS: Record<string, string | null> = { 'compressed-tensors': null, modelopt: null, modelopt_fp4: 'NVFP4', quark: null, bitsandbytes: null, torchao: null };

/** A log's quantization as a precision: "FP8 (compressed-tensors)" where the method is a checkpoint format. */
export function precisionOfLog(log: ServerLog, run: Run | null): string {
  const method = log.quantization as string;
  if (!(method in CHECKPOINT_FORMATS)) return method;
  const token = precisionFromName(log.model) ?? precisionFromName(run?.model ?? null) ?? precisionFromName(log.quantizationRequested) ?? CHECKPOINT_FORMATS[method] ?? null;
  return token === null ? method : `${token} (${method})`;
}

function factsOf(run: Run, exp: Experiment): RunFacts {
  const log = logOf(run, exp);
  let precision: string | null = null;
  let precisionSource: RunFacts['precisionSource'] = null;
  if (log?.quantization) {
    precision = precisionOfLog(log, run);
    precisionSource = 'log';
  } else if (log?.dtype && /^(bfloat16|float16|half|float32|float)$/.test(log.dtype)) {
    // No quantization in the engine's config: the weights are in its dtype.
    precision = { bfloat16: 'BF16', float16: 'FP16', half: 'FP16', float32: 'FP32', float: 'FP32' }[log.dtype] ?? log.dtype;
    precisionSource = 'log';
  } else if (precisionFromName(run.model)) {
    precision = precisionFromName(run.model);
    precisionSource = 'model-name';
  } else if (precisionFromName(run.label)) {
    precision = precisionFromName(run.label);
    precisionSource = 'label';
  }
  const launch = exp.config?.runs[run.file]?.launch ?? null;
  return { run, gpus: gpusOf(run, exp, log, launch), log, precision, precisionSource, launch, setup: setupOf(run, log, launch, exp) };
}

function ratio(a: number | null | undefined, b: number | null | undefined): number | null {
  return a === null || a === undefined || b === null || b === undefined || b === 0 ? null : a / b;
}

function latencyOf(run: Run): number | null {
  return run.latencyMs?.mean ?? run.latencyMs?.p50 ?? null;
}

function distinct<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}

/** A model as comparisons tell models apart: "Qwen/Qwen3-32B" and "/models/qwen3-32b" are one. */
function modelKey(f: RunFacts): string | null {
  return shortModel(f.run.model)?.toLowerCase() ?? null;
}

/**
 * What the compared runs differ in. GPUs are the axis only when model and precision are the same
 * throughout: a set of FP8 and NVFP4 at TP=1 and TP=2 compares precisions, and its GPU scaling is
 * measured per model (Comparison.scaling).
 */
function axisOf(set: RunFacts[]): Axis {
  const varies = (pick: (f: RunFacts) => unknown) => distinct(set.map(pick)).length > 1;
  const precision = varies((f) => f.precision);
  const model = varies(modelKey);
  if (varies((f) => f.gpus) && !precision && !model) return 'gpus';
  if (precision) return 'precision';
  if (model) return 'model';
  return 'config';
}

/** Each run's GPU scaling against the run of its model and precision on the fewest GPUs (on the GPU axis, the baseline). */
function scalingOf(set: RunFacts[], axis: Axis, baseline: RunFacts): Scaling[] {
  const groups = new Map<string, RunFacts[]>();
  for (const f of set) {
    const key = axis === 'gpus' ? '' : JSON.stringify([modelKey(f), f.precision]);
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  const out: Scaling[] = [];
  for (const group of groups.values()) {
    const known = group.filter((f): f is RunFacts & { gpus: number } => f.gpus !== null && f.gpus > 0);
    const fewest = Math.min(...known.map((f) => f.gpus));
    const from = axis === 'gpus' ? baseline : known.find((f) => f.gpus === fewest);
    if (!from || from.gpus === null || from.gpus <= 0) continue;
    for (const to of known) {
      if (to === from || to.gpus === from.gpus) continue;
      const throughputRatio = ratio(to.run.outputTokenThroughput, from.run.outputTokenThroughput);
      if (throughputRatio === null) continue;
      const gpuRatio = to.gpus / from.gpus;
      out.push({ from, to, gpuRatio, throughputRatio, latencyRatio: ratio(latencyOf(to.run), latencyOf(from.run)), efficiency: throughputRatio / gpuRatio });
    }
  }
  return out;
}

function differs(a: number | null, b: number | null, tolerance: number): boolean {
  if (a === null || b === null) return false;
  return Math.abs(a - b) > tolerance * Math.max(Math.abs(a), Math.abs(b));
}

function differences(set: RunFacts[], axis: Axis): Difference[] {
  const out: Difference[] = [];
  const check = (field: Difference['field'], value: (f: RunFacts) => string | number | null, tol = 0) => {
    const vals = set.map((f) => ({ label: f.run.label, value: value(f) }));
    const known = vals.filter((v) => v.value !== null);
    if (known.length < 2) return;
    const first = known[0]?.value ?? null;
    const any = known.some((v) =>
      typeof v.value === 'number' && typeof first === 'number' ? differs(v.value, first, tol) : v.value !== first,
    );
    if (any) out.push({ field, values: vals });
  };
  check('inputTokensMean', (f) => f.run.inputTokensMean, LENGTH_TOLERANCE);
  check('outputTokensMean', (f) => f.run.outputTokensMean, LENGTH_TOLERANCE);
  check('maxTokens', (f) => f.run.maxTokens);
  check('concurrency', (f) => f.run.concurrency);
  check('requests', (f) => f.run.requests);
  check('vllmVersion', (f) => f.log?.vllmVersion ?? null);
  if (axis !== 'model' && axis !== 'precision') check('model', (f) => f.run.model);
  return out;
}

function pickBaseline(set: RunFacts[], axis: Axis, exp: Experiment): RunFacts {
  const wanted = exp.config?.baseline;
  const named = wanted ? set.find((f) => f.run.file === wanted || f.run.label === wanted || `${f.run.file}#${f.run.index}` === wanted) : undefined;
  if (named) return named;
  if (axis === 'gpus') return [...set].sort((a, b) => (a.gpus ?? Infinity) - (b.gpus ?? Infinity))[0] ?? (set[0] as RunFacts);
  return set[0] as RunFacts;
}

function compare(set: RunFacts[], exp: Experiment): Comparison {
  const axis = axisOf(set);
  const baseline = pickBaseline(set, axis, exp);
  const b = baseline.run;
  const scaling = scalingOf(set, axis, baseline);
  const ratios = set.map((f) => {
    const r = f.run;
    const rs: Ratios = {
      requestThroughput: ratio(r.requestThroughput, b.requestThroughput),
      inputTokenThroughput: ratio(r.inputTokenThroughput, b.inputTokenThroughput),
      outputTokenThroughput: ratio(r.outputTokenThroughput, b.outputTokenThroughput),
      latency: ratio(latencyOf(r), latencyOf(b)),
      ttft: ratio(r.ttftMs?.mean ?? null, b.ttftMs?.mean ?? null),
    };
    const gpuRatio = axis === 'gpus' ? ratio(f.gpus, baseline.gpus) : null;
    // The table's efficiency column is against the baseline, so only on the GPU axis, where the
    // baseline is every run's scaling reference; a run on as many GPUs as the baseline has none.
    const scalingEfficiency = axis === 'gpus' ? (scaling.find((p) => p.to === f)?.efficiency ?? null) : null;
    return { facts: f, ratios: rs, gpuRatio, scalingEfficiency };
  });
  const ranking = [...set].sort((x, y) => (y.run.outputTokenThroughput ?? -1) - (x.run.outputTokenThroughput ?? -1));
  return { runs: set, axis, baseline, ratios, scaling, ranking, differences: differences(set, axis), spread: spreadOf(set) };
}

/** A repeated configuration's label without its " #n". */
export function configLabel(label: string): string {
  return label.replace(/ #\d+$/, '');
}

/** Output throughputs per configuration (repeats together), in the set's order. */
function byConfig(set: RunFacts[]): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const f of set) {
    const v = f.run.outputTokenThroughput;
    if (v === null) continue;
    const key = configLabel(f.run.label);
    out.set(key, [...(out.get(key) ?? []), v]);
  }
  return out;
}

function spreadOf(set: RunFacts[]): number | null {
  const spreads = [...byConfig(set).values()].filter((vs) => vs.length >= 2).map((vs) => (Math.max(...vs) - Math.min(...vs)) / Math.max(...vs));
  return spreads.length ? Math.max(...spreads) : null;
}

/** Below this relative gap two throughputs are one figure: their ratio shows as 1.00×. */
export const RESOLUTION = 0.005;

/**
 * Configurations adjacent in throughput (by their mean) that differ by no more than the repeats'
 * spread; without repeats, by less than the figures resolve (a ratio of 1.00×).
 */
function withinSpread(c: Comparison): Conclusion | null {
  const limit = c.spread ?? RESOLUTION;
  const means = [...byConfig(c.runs).entries()].map(([label, vs]) => ({ label, mean: vs.reduce((a, b) => a + b, 0) / vs.length })).sort((a, b) => b.mean - a.mean);
  const pairs: { a: string; b: string; difference: number }[] = [];
  for (let i = 1; i < means.length; i++) {
    const hi = means[i - 1] as { label: string; mean: number };
    const lo = means[i] as { label: string; mean: number };
    const difference = (hi.mean - lo.mean) / hi.mean;
    if (c.spread !== null ? difference <= limit : difference < limit) pairs.push({ a: hi.label, b: lo.label, difference });
  }
  if (c.spread === null) return pairs.length ? { kind: 'within-resolution', pairs } : null;
  return { kind: 'within-spread', spread: c.spread, pairs };
}

function sweepOf(source: string, runs: Run[]): Sweep | null {
  const points = runs
    .filter((r): r is Run & { concurrency: number } => r.concurrency !== null)
    .map((r) => ({ run: r, concurrency: r.concurrency }))
    .sort((a, b) => a.concurrency - b.concurrency);
  if (points.length < SWEEP_MIN_POINTS || distinct(points.map((p) => p.concurrency)).length !== points.length) return null;
  const metric = (p: SweepPoint) => p.run.outputTokenThroughput ?? p.run.requestThroughput ?? -1;
  const peak = points.reduce((best, p) => (metric(p) > metric(best) ? p : best), points[0] as SweepPoint);
  const firstFailures = points.find((p) => (p.run.failed ?? 0) > 0) ?? null;
  let saturation: SweepPoint | null = null;
  for (let i = 1; i < points.length; i++) {
    const prev = points[i - 1]?.run.requestThroughput ?? null;
    const cur = points[i]?.run.requestThroughput ?? null;
    if (prev !== null && cur !== null && prev > 0 && cur / prev < SATURATION_GAIN) {
      saturation = points[i - 1] ?? null;
      break;
    }
  }
  return { source, points, peak, firstFailures, saturation };
}

function flagsOf(run: Run): Flag[] {
  const out: Flag[] = [];
  if (run.completed === 0) out.push({ run, code: 'no-completed', values: {} });
  // Requests asked for but not recorded as completed did not succeed, whether or not the summary counts them as failed.
  const recorded = run.failed ?? 0;
  const notOk = run.requests !== null && run.completed !== null ? Math.max(run.requests - run.completed, recorded) : recorded;
  if (notOk > 0) {
    const total = run.requests ?? (run.completed ?? 0) + recorded;
    out.push({ run, code: 'failed-requests', values: { failed: notOk, total, recorded, unrecorded: notOk - recorded } });
  }
  const { outputTokenThroughput: printed, completed, outputTokensMean, durationS } = run;
  if (printed !== null && completed !== null && outputTokensMean !== null && durationS !== null && durationS > 0 && completed > 0) {
    const recomputed = (completed * outputTokensMean) / durationS;
    if (Math.abs(printed - recomputed) > THROUGHPUT_TOLERANCE * recomputed) {
      out.push({ run, code: 'throughput-mismatch', values: { printed, recomputed, completed, mean: outputTokensMean, duration: durationS } });
    }
  }
  if (run.maxTokens !== null && run.outputTokensMean !== null && run.outputTokensMean < run.maxTokens * SHORT_OUTPUT) {
    out.push({ run, code: 'short-output', values: { mean: run.outputTokensMean, max: run.maxTokens } });
  }
  if (run.concurrency !== null) {
    if (run.peakConcurrentRequests !== null && run.peakConcurrentRequests < run.concurrency) {
      out.push({ run, code: 'concurrency-not-reached', values: { reached: run.peakConcurrentRequests, target: run.concurrency } });
    } else if (run.requests !== null && run.requests < run.concurrency) {
      out.push({ run, code: 'concurrency-not-reached', values: { reached: run.requests, target: run.concurrency } });
    }
  }
  return out;
}

/** Wilson score interval of `correct` of `total` at Z95: honest near 0 and 1 and for small sets, unlike value ± z·se. */
export function wilson(correct: number, total: number): { low: number; high: number } {
  const p = correct / total;
  const z2 = Z95 * Z95;
  const centre = (p + z2 / (2 * total)) / (1 + z2 / total);
  const half = (Z95 * Math.sqrt((p * (1 - p)) / total + z2 / (4 * total * total))) / (1 + z2 / total);
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

function interval(value: number, correct: number | null, total: number | null, stderr: number | null): { low: number | null; high: number | null } {
  if (correct !== null && total !== null && total > 0) return wilson(correct, total);
  if (stderr !== null) return { low: Math.max(0, value - Z95 * stderr), high: Math.min(1, value + Z95 * stderr) };
  return { low: null, high: null };
}

/**
 * Whether two scores differ by more than chance at 95 %: a pooled two-proportion z-test when both
 * count correct answers, else the difference against Z95 × the combined standard error; null when
 * neither says how noisy the scores are.
 */
export function beyondNoise(a: AccuracyRow, b: AccuracyRow): boolean | null {
  if (a.correct !== null && a.total && b.correct !== null && b.total) {
    const pooled = (a.correct + b.correct) / (a.total + b.total);
    const se = Math.sqrt(pooled * (1 - pooled) * (1 / a.total + 1 / b.total));
    return se === 0 ? a.value !== b.value : Math.abs(a.correct / a.total - b.correct / b.total) / se > Z95;
  }
  if (a.stderr !== null && b.stderr !== null) return Math.abs(a.value - b.value) > Z95 * Math.sqrt(a.stderr * a.stderr + b.stderr * b.stderr);
  return null;
}

function accuracyRows(acc: Accuracy[], runs: Run[]): AccuracyRow[] {
  const rows: AccuracyRow[] = [];
  for (const a of acc) {
    for (const t of a.tasks) {
      const variant = t.variant ?? a.model ?? a.file;
      const run = runs.find((r) => r.label === variant || (r.model !== null && (r.model === t.variant || r.model === a.model))) ?? null;
      rows.push({ variant, task: t.task, metric: t.metric, value: t.value, correct: t.correct, total: t.total, stderr: t.stderr, ...interval(t.value, t.correct, t.total, t.stderr), run, file: a.file });
    }
  }
  return rows;
}

/** Groups runs into comparison sets: one multi-run file is a group; the single-run files, of any tool, another. */
function groups(runs: Run[]): Run[][] {
  const byKey = new Map<string, Run[]>();
  const perFile = new Map<string, number>();
  for (const r of runs) perFile.set(r.file, (perFile.get(r.file) ?? 0) + 1);
  for (const r of runs) {
    // A file of several runs is its own group; files of one run each are compared with each other,
    // whatever tool wrote them (the report notes where the tools define a metric differently).
    const key = (perFile.get(r.file) ?? 0) > 1 ? `file:${r.file}` : 'single-run files';
    byKey.set(key, [...(byKey.get(key) ?? []), r]);
  }
  return [...byKey.values()];
}

export function derive(exp: Experiment): Derived {
  const facts = exp.runs.map((r) => factsOf(r, exp));
  const factOf = new Map(facts.map((f) => [f.run, f]));
  const comparisons: Comparison[] = [];
  const sweeps: Sweep[] = [];
  const standalone: RunFacts[] = [];
  const repeated: Conclusion[] = [];
  for (const group of groups(exp.runs)) {
    const sweep = sweepOf(group[0]?.file ?? '', group);
    const varyOnlyInConcurrency =
      sweep !== null && distinct(group.map((r) => r.model)).length === 1 && distinct(group.map((r) => facts.find((f) => f.run === r)?.gpus ?? null)).length === 1;
    if (sweep && varyOnlyInConcurrency) {
      sweeps.push(sweep);
      continue;
    }
    // Within a group, runs under the same load (concurrency, requests) are compared.
    const sets = new Map<string, RunFacts[]>();
    for (const r of group) {
      const key = `${r.concurrency}|${r.requests}`;
      sets.set(key, [...(sets.get(key) ?? []), factOf.get(r) as RunFacts]);
    }
    for (const set of sets.values()) {
      // Runs of one configuration and no other are repeats, not a comparison: their median and range say it.
      if (set.length >= 2 && distinct(set.map((f) => configLabel(f.run.label))).length === 1) repeated.push(repeatsConclusion(set));
      else if (set.length >= 2) comparisons.push(compare(set, exp));
      else standalone.push(...set);
    }
  }
  const flags = exp.runs.flatMap(flagsOf);
  const accuracy = accuracyRows(exp.accuracy, exp.runs);
  return { facts, comparisons, sweeps, standalone, flags, accuracy, conclusions: [...conclusions(comparisons, sweeps, accuracy), ...repeated, ...standalone.map(single)], pareto: paretoOf(exp, facts) };
}

function repeatsConclusion(set: RunFacts[]): Conclusion {
  const { median, min, max } = rangeOf(set.map((f) => f.run.outputTokenThroughput)) ?? { median: 0, min: 0, max: 0 };
  return { kind: 'repeats', label: configLabel(set[0]?.run.label ?? ''), n: set.length, median, min, max, spread: median > 0 ? (max - min) / median : 0 };
}

/** What one run shows: its throughput, request rate, load and latency. */
function single(f: RunFacts): Conclusion {
  const r = f.run;
  const mean = r.latencyMs?.mean ?? null;
  const p50 = r.latencyMs?.p50 ?? null;
  return {
    kind: 'single',
    label: r.label,
    decode: r.outputTokenThroughput,
    qps: r.requestThroughput,
    concurrency: r.concurrency,
    latencyS: mean !== null ? mean / 1000 : p50 !== null ? p50 / 1000 : null,
    latencyIsP50: mean === null && p50 !== null,
    ttftP50Ms: r.streaming === false ? null : (r.ttftMs?.p50 ?? null),
  };
}

function conclusions(comparisons: Comparison[], sweeps: Sweep[], accuracy: AccuracyRow[]): Conclusion[] {
  const out: Conclusion[] = [];
  for (const c of comparisons) {
    if (c.axis !== 'gpus') {
      const order = c.ranking.filter((f) => f.run.outputTokenThroughput !== null).map((f) => ({ label: f.run.label, value: f.run.outputTokenThroughput as number }));
      if (order.length >= 2) {
        const best = c.ranking[0];
        const bestRatio = best ? (c.ratios.find((r) => r.facts === best)?.ratios.outputTokenThroughput ?? null) : null;
        out.push({ kind: 'ranking', metric: 'outputTokenThroughput', order, baselineLabel: c.baseline.run.label, bestRatio: best === c.baseline ? null : bestRatio });
      }
    }
    for (const p of c.scaling) {
      out.push({
        kind: 'scaling',
        fromLabel: p.from.run.label,
        toLabel: p.to.run.label,
        gpusFrom: p.from.gpus ?? 0,
        gpusTo: p.to.gpus ?? 0,
        linear: p.gpuRatio,
        throughputRatio: p.throughputRatio,
        latencyRatio: p.latencyRatio,
        efficiency: p.efficiency,
      });
    }
    const spread = withinSpread(c);
    if (spread) out.push(spread);
  }
  for (const s of sweeps) {
    const v = s.peak.run.outputTokenThroughput ?? s.peak.run.requestThroughput;
    if (v !== null) out.push({ kind: 'sweep-peak', concurrency: s.peak.concurrency, value: v, qps: s.peak.run.requestThroughput });
    if (s.saturation) out.push({ kind: 'sweep-saturation', concurrency: s.saturation.concurrency });
    if (s.firstFailures) out.push({ kind: 'sweep-failures', concurrency: s.firstFailures.concurrency, failed: s.firstFailures.run.failed ?? 0 });
  }
  const tasks = distinct(accuracy.map((a) => a.task));
  for (const task of tasks) {
    const rows = accuracy.filter((a) => a.task === task);
    if (rows.length < 2) continue;
    const max = Math.max(...rows.map((r) => r.value));
    const min = Math.min(...rows.map((r) => r.value));
    const top = rows.find((r) => r.value === max) as AccuracyRow;
    const bottom = rows.find((r) => r.value === min) as AccuracyRow;
    // The widest gap is within chance: the set cannot tell the variants apart, so no ranking and no trade-off.
    if (max !== min && beyondNoise(top, bottom) === false) {
      const totals = distinct(rows.map((r) => r.total));
      const counted = rows.every((r) => r.correct !== null) && totals.length === 1 && totals[0] !== null;
      out.push({
        kind: 'accuracy-within-noise',
        task,
        variants: rows.map((r) => r.variant),
        min,
        max,
        minCorrect: counted ? Math.min(...rows.map((r) => r.correct as number)) : null,
        maxCorrect: counted ? Math.max(...rows.map((r) => r.correct as number)) : null,
        questions: counted ? (totals[0] as number) : null,
      });
      continue;
    }
    out.push({
      kind: 'accuracy',
      task,
      best: rows.filter((r) => r.value === max).map((r) => ({ variant: r.variant, value: r.value })),
      worst: max === min ? [] : rows.filter((r) => r.value === min).map((r) => ({ variant: r.variant, value: r.value })),
    });
    const withRuns = rows.filter((r) => r.run?.outputTokenThroughput != null);
    if (withRuns.length >= 2) {
      const fastest = withRuns.reduce((a, b) => ((b.run?.outputTokenThroughput ?? 0) > (a.run?.outputTokenThroughput ?? 0) ? b : a));
      if (fastest.value < max && beyondNoise(fastest, top) !== false) {
        out.push({ kind: 'accuracy-tradeoff', fastest: fastest.variant, fastestAccuracy: fastest.value, bestAccuracy: max, bestVariants: rows.filter((r) => r.value === max).map((r) => r.variant) });
      }
    }
  }
  return out;
}
