/**
 * Service-level objectives: limits on TTFT, TPOT, ITL or end-to-end latency at a statistic, set in
 * experiment.yaml (`slo:`) as limits or as a named preset, and whether each run met them.
 */
import { z } from 'zod';
import type { Experiment, Run, Slo, SloCheck, SloMetric, SloStat } from '../model.js';

/**
 * MLPerf Inference's latency limits for its server scenarios (MLPerf
 * Inference v4.x rules): llama2-70b server p99 TTFT 2000 ms and TPOT 200 ms; its interactive
 * scenario 450 ms and 40 ms.
 */
export const SLO_PRESETS: Readonly<Record<string, readonly SloCheck[]>> = {
  'mlperf-llama2-70b': [
    { metric: 'ttft', stat: 'p99', limitMs: 2000 },
    { metric: 'tpot', stat: 'p99', limitMs: 200 },
  ],
  'mlperf-llama2-70b-interactive': [
    { metric: 'ttft', stat: 'p99', limitMs: 450 },
    { metric: 'tpot', stat: 'p99', limitMs: 40 },
  ],
};

const limits = z.record(z.enum(['mean', 'p50', 'p90', 'p95', 'p99']), z.number().positive());
/** `slo:` a preset's name, or limits in ms per metric and statistic ({ttftMs: {p99: 2000}, tpotMs: {p99: 200}}). */
export const sloSchema = z.union([
  z.enum(Object.keys(SLO_PRESETS) as [string, ...string[]]),
  z.object({ ttftMs: limits, tpotMs: limits, itlMs: limits, e2eMs: limits }).partial().strict(),
]);

export function sloFrom(v: z.infer<typeof sloSchema> | undefined): Slo | null {
  if (v === undefined) return null;
  if (typeof v === 'string') return { name: v, checks: [...(SLO_PRESETS[v] ?? [])] };
  const metric = { ttftMs: 'ttft', tpotMs: 'tpot', itlMs: 'itl', e2eMs: 'e2e' } as const;
  const checks: SloCheck[] = [];
  for (const [key, byStat] of Object.entries(v) as [keyof typeof metric, Record<string, number>][]) {
    for (const [stat, limitMs] of Object.entries(byStat)) checks.push({ metric: metric[key], stat: stat as SloCheck['stat'], limitMs });
  }
  return { name: null, checks };
}

const FIELD: Record<SloMetric, 'ttftMs' | 'tpotMs' | 'itlMs' | 'latencyMs'> = { ttft: 'ttftMs', tpot: 'tpotMs', itl: 'itlMs', e2e: 'latencyMs' };

export interface SloResult {
  /** All checks met; false when one failed; null when none failed but one has no value to check. */
  met: boolean | null;
  checks: { metric: SloMetric; percentile: SloStat; limitMs: number; valueMs: number | null; met: boolean | null }[];
  /** Requests that met every limit, each request by its own figures; null without per-request data. */
  goodput: Goodput | null;
}

/**
 * Goodput as vLLM's `--goodput` counts it: the successful requests whose own TTFT, TPOT and
 * end-to-end latency are each within their limit (the statistic a limit is set at does not apply to
 * one request), per second of the run. An ITL limit has no per-request figure and is not counted.
 */
export interface Goodput {
  good: number;
  /** Successful requests with per-request figures. */
  of: number;
  /** good ÷ the run's duration; null without a duration. */
  perSecond: number | null;
  /** The metrics each request was checked on. */
  metrics: SloMetric[];
}

function goodputOf(run: Run, slo: Slo): Goodput | null {
  const samples = run.perRequest;
  if (!samples) return null;
  const limits = new Map<SloMetric, number>();
  for (const c of slo.checks) if (c.metric !== 'itl') limits.set(c.metric, Math.min(limits.get(c.metric) ?? Infinity, c.limitMs));
  if (limits.size === 0) return null;
  let good = 0;
  for (let i = 0; i < samples.ttftMs.length; i++) {
    const ok =
      (!limits.has('ttft') || (samples.ttftMs[i] as number) <= (limits.get('ttft') as number)) &&
      (!limits.has('tpot') || (samples.tpotMs[i] ?? 0) <= (limits.get('tpot') as number)) &&
      (!limits.has('e2e') || (samples.e2eMs[i] as number) <= (limits.get('e2e') as number));
    if (ok) good++;
  }
  const of = samples.ttftMs.length;
  return { good, of, perSecond: run.durationS ? good / run.durationS : null, metrics: [...limits.keys()] };
}

/** The SLO an experiment's runs are checked against: its experiment.yaml's, else the repository's default. */
export function sloFor(exp: Experiment, fallback: Slo | null): Slo | null {
  return exp.config?.slo ?? fallback;
}

/** Each limit checked against the run's own statistic, and whether all were met (no per-request work). */
export function checksOf(run: Run, slo: Slo): Omit<SloResult, 'goodput'> {
  const checks = slo.checks.map((c) => {
    const valueMs = run[FIELD[c.metric]]?.[c.stat === 'mean' ? 'mean' : c.stat] ?? null;
    return { metric: c.metric, percentile: c.stat, limitMs: c.limitMs, valueMs, met: valueMs === null ? null : valueMs <= c.limitMs };
  });
  const met = checks.some((c) => c.met === false) ? false : checks.some((c) => c.met === null) ? null : true;
  return { met, checks };
}

/** The checks, and the goodput where the run kept per-request figures. */
export function sloOf(run: Run, slo: Slo): SloResult {
  return { ...checksOf(run, slo), goodput: goodputOf(run, slo) };
}

/**
 * The highest load of the experiment's runs that still meets its SLO: the highest concurrency (or,
 * for runs driven by rate, the highest rate) among the runs that met it. Null without an SLO or a
 * run that met it.
 */
export function highestMeetingSlo(exp: Experiment, slo: Slo | null): { file: string; index: number; concurrency: number | null; requestRate: number | null } | null {
  if (!slo) return null;
  const load = (r: Run) => r.concurrency ?? r.requestRate ?? -1;
  const met = exp.runs.filter((r) => checksOf(r, slo).met === true && load(r) >= 0).sort((a, b) => load(b) - load(a))[0];
  return met ? { file: met.file, index: met.index, concurrency: met.concurrency, requestRate: met.requestRate } : null;
}
