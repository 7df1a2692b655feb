/**
 * Service-level objectives: limits on TTFT, TPOT, ITL or end-to-end latency at a statistic, set in
 * experiment.yaml (`slo:`) as limits or as a named preset, and whether each run met them.
 */
import type { Experiment, Run, Slo, SloCheck, SloMetric, SloStat } from '../model.js';

/**
 * MLPerf Inference's latency limits for its server scenarios (the examples, MLPerf
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

const FIELD: Record<SloMetric, 'ttftMs' | 'tpotMs' | 'itlMs' | 'latencyMs'> = { ttft: 'ttftMs', tpot: 'tpotMs', itl: 'itlMs', e2e: 'latencyMs' };

export interface SloResult {
  /** All checks met; false when one failed; null when none failed but one has no value to check. */
  met: boolean | null;
  checks: { metric: SloMetric; percentile: SloStat; limitMs: number; valueMs: number | null; met: boolean | null }[];
}

export function sloOf(run: Run, slo: Slo): SloResult {
  const checks = slo.checks.map((c) => {
    const valueMs = run[FIELD[c.metric]]?.[c.stat === 'mean' ? 'mean' : c.stat] ?? null;
    return { metric: c.metric, percentile: c.stat, limitMs: c.limitMs, valueMs, met: valueMs === null ? null : valueMs <= c.limitMs };
  });
  const met = checks.some((c) => c.met === false) ? false : checks.some((c) => c.met === null) ? null : true;
  return { met, checks };
}

/**
 * The highest load of the experiment's runs that still meets its SLO: the highest concurrency (or,
 * for runs driven by rate, the highest rate) among the runs that met it. Null without an SLO or a
 * run that met it.
 */
export function highestMeetingSlo(exp: Experiment): { file: string; index: number; concurrency: number | null; requestRate: number | null } | null {
  const slo = exp.config?.slo;
  if (!slo) return null;
  const load = (r: Run) => r.concurrency ?? r.requestRate ?? -1;
  const met = exp.runs.filter((r) => sloOf(r, slo).met === true && load(r) >= 0).sort((a, b) => load(b) - load(a))[0];
  return met ? { file: met.file, index: met.index, concurrency: met.concurrency, requestRate: met.requestRate } : null;
}
