/**
 * Throughput per GPU against interactivity (output tokens per second one user sees) for the runs of
 * one experiment, with the Pareto front: the runs no other run beats on both.
 */
import type { Experiment, Run } from '../model.js';
import type { RunFacts } from './derive.js';
import { environmentOf, shortModel } from './pair.js';

export interface ParetoRun {
  run: Run;
  /** The GPUs the server used: TP × PP or experiment.yaml, else the GPUs its capture lists. */
  gpus: number;
  /** Output tokens per second per GPU. */
  tokPerSecPerGpu: number;
  /** Output tokens per second one user sees: 1000 ÷ mean TPOT (ms), else output throughput ÷ concurrency. */
  tokPerSecPerUser: number;
  perUserFrom: 'tpot' | 'throughput-per-concurrency';
  /** No other run is at least as good on both axes and better on one. */
  onFront: boolean;
  /** The server configuration the run belongs to, by what varies among the runs other than load ("FP8 · TP=2"); '' when all share one. */
  config: string;
}

/** The public shape (`inspect --json` `pareto`): the run named by file and index. */
export interface ParetoPoint {
  file: string;
  index: number;
  tokPerSecPerGpu: number;
  tokPerSecPerUser: number;
  perUserFrom: ParetoRun['perUserFrom'];
  onFront: boolean;
}

/** Fewer runs than this draw no front worth a chart: a comparison of two says it already. */
export const PARETO_MIN_POINTS = 3;

/**
 * The runs whose GPU count, output throughput and TPOT (or concurrency) are known, each with its
 * place on the two axes and whether it is on the front. Fewer than two such runs: no front, none.
 */
export function paretoOf(exp: Experiment, facts: readonly RunFacts[]): ParetoRun[] {
  const points: ParetoRun[] = [];
  for (const f of facts) {
    const { run } = f;
    const gpus = f.gpus ?? (environmentOf(run, exp)?.gpus.length || null);
    if (gpus === null || gpus <= 0 || run.outputTokenThroughput === null) continue;
    const tpot = run.tpotMs?.mean ?? null;
    const fromTpot = tpot !== null && tpot > 0;
    const perUser = fromTpot ? 1000 / tpot : run.concurrency ? run.outputTokenThroughput / run.concurrency : null;
    if (perUser === null) continue;
    points.push({ run, gpus, tokPerSecPerGpu: run.outputTokenThroughput / gpus, tokPerSecPerUser: perUser, perUserFrom: fromTpot ? 'tpot' : 'throughput-per-concurrency', onFront: false, config: '' });
  }
  if (points.length < 2) return [];
  // One series per server configuration: the parts of it that differ between the runs name it.
  const byRun = new Map(facts.map((f) => [f.run, f]));
  const parts = (p: ParetoRun): string[] => {
    const f = byRun.get(p.run);
    return [shortModel(p.run.model ?? f?.setup.model ?? null) ?? '', (f?.precision?.split(' ')[0] ?? '').toUpperCase(), f?.setup.tensorParallel ? `TP=${f.setup.tensorParallel}` : '', f?.setup.pipelineParallel && f.setup.pipelineParallel > 1 ? `PP=${f.setup.pipelineParallel}` : '', `${p.gpus} GPU`];
  };
  const all = points.map(parts);
  const varies = (all[0] ?? []).map((_, i) => new Set(all.map((a) => a[i])).size > 1);
  points.forEach((p, j) => (p.config = (all[j] ?? []).filter((v, i) => varies[i] && v !== '').join(' · ')));
  for (const p of points) p.onFront = !points.some((q) => beats(q, p));
  return points;
}

/** `q` is at least as good as `p` on both axes and better on one. */
function beats(q: ParetoRun, p: ParetoRun): boolean {
  return q !== p && q.tokPerSecPerGpu >= p.tokPerSecPerGpu && q.tokPerSecPerUser >= p.tokPerSecPerUser && (q.tokPerSecPerGpu > p.tokPerSecPerGpu || q.tokPerSecPerUser > p.tokPerSecPerUser);
}

/**
 * The run that beats `p` on both axes and is nearest to it in load (the same concurrency first), so
 * that "beaten by" names the like-for-like alternative; null for a run on the front.
 */
export function beatenBy(p: ParetoRun, runs: readonly ParetoRun[]): ParetoRun | null {
  const load = (r: ParetoRun) => r.run.concurrency ?? r.run.requestRate ?? null;
  const by = runs.filter((q) => beats(q, p));
  const distance = (q: ParetoRun) => {
    const a = load(p);
    const b = load(q);
    return a !== null && b !== null && a > 0 && b > 0 ? Math.abs(Math.log(a / b)) : Infinity;
  };
  return by.reduce<ParetoRun | null>((best, q) => (best === null || distance(q) < distance(best) ? q : best), null);
}

export function paretoPoints(runs: readonly ParetoRun[]): ParetoPoint[] {
  return runs.map((p) => ({ file: p.run.file, index: p.run.index, tokPerSecPerGpu: p.tokPerSecPerGpu, tokPerSecPerUser: p.tokPerSecPerUser, perUserFrom: p.perUserFrom, onFront: p.onFront }));
}

/** Whether the runs trade one axis for the other: enough of them, and more than one on the front. */
export function paretoShown(runs: readonly ParetoRun[]): boolean {
  return runs.length >= PARETO_MIN_POINTS && runs.filter((p) => p.onFront).length >= 2;
}
