/**
 * The overview across experiments: the best configuration measured per model and hardware, and
 * each configuration's history — its series (one per load) over the experiments' dates, with the
 * regressions found in them. Pure: made from the runs' keys alone (KeyedRun), which every
 * experiment's entry keeps, so no experiment is read again.
 */
import { createHash } from 'node:crypto';
import { keyIdOf, type KeyedRun, type RunKey, type Series } from './series.js';

/** One configuration's history: its series, one per load (concurrency or rate), under one name. */
export interface Family {
  /** Stable short id (images/overview-<id>.<locale>.png): a hash of the key without its load. */
  id: string;
  /** The key of its first series, its load set aside. */
  key: RunKey;
  /** The label that splits the key, where one experiment holds it under several labels. */
  label: string | null;
  series: Series[];
  /** Its lengths are rounded means (Series approxLengths). */
  approxLengths: boolean;
}

/** The best run of one model on one kind of GPU, across every experiment. */
export interface Best {
  model: string;
  gpu: string;
  run: KeyedRun;
  /** What "best" was ranked by: output tokens/s per GPU where every candidate's GPU count is known, else output tokens/s. */
  by: 'perGpu' | 'output';
  /** Only the runs that met their SLO were ranked (some were checked and met it). */
  sloOnly: boolean;
  /** The family the best run's key has a history in, if any. */
  family: string | null;
}

export interface Overview {
  best: Best[];
  families: Family[];
  regressions: number;
}

const hashOf = (s: string): string => createHash('sha256').update(s).digest('hex').slice(0, 10);

function byText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The overview, or null where there is nothing across experiments to show: no configuration was
 * measured in two experiments and no model was run on one kind of GPU in two experiments.
 */
export function overviewOf(keyed: readonly KeyedRun[], series: readonly Series[]): Overview | null {
  const families = new Map<string, Family>();
  // The key without its load, and the label where one splits it: the runs of one configuration at every load.
  const familyOfKey = new Map<string, string>();
  for (const s of series) {
    const key = { ...s.key, concurrency: null, requestRate: null };
    const fid = `${keyIdOf(key)}${s.label === null ? '' : ` label=${s.label}`}`;
    let f = families.get(fid);
    if (!f) families.set(fid, (f = { id: hashOf(fid), key, label: s.label, series: [], approxLengths: false }));
    f.series.push(s);
    f.approxLengths ||= s.approxLengths;
    familyOfKey.set(keyIdOf(s.key), f.id);
  }
  const load = (s: Series) => s.key.concurrency ?? s.key.requestRate ?? Infinity;
  for (const f of families.values()) f.series.sort((a, b) => load(a) - load(b) || byText(a.keyId, b.keyId));

  const groups = new Map<string, KeyedRun[]>();
  for (const k of keyed) {
    if (k.key.model === null || k.key.gpu === null || k.outputTokenThroughput === null) continue;
    const g = `${k.key.model}\u0000${k.key.gpu}`;
    groups.set(g, [...(groups.get(g) ?? []), k]);
  }
  const across = [...groups.values()].some((g) => new Set(g.map((k) => k.experiment)).size > 1);
  if (families.size === 0 && !across) return null;

  const best: Best[] = [];
  for (const runs of groups.values()) {
    const met = runs.filter((k) => k.sloMet === true);
    const pool = met.length > 0 ? met : runs;
    const by = pool.every((k) => k.tokPerSecPerGpu !== null) ? 'perGpu' : 'output';
    const value = (k: KeyedRun) => (by === 'perGpu' ? (k.tokPerSecPerGpu as number) : (k.outputTokenThroughput as number));
    const top = pool.reduce((a, b) => (value(b) > value(a) || (value(b) === value(a) && b.date > a.date) ? b : a));
    best.push({
      model: top.key.model as string,
      gpu: top.key.gpu as string,
      run: top,
      by,
      sloOnly: met.length > 0,
      family: familyOfKey.get(top.keyId) ?? null,
    });
  }
  best.sort((a, b) => byText(a.model, b.model) || byText(a.gpu, b.gpu));
  const ordered = [...families.values()].sort((a, b) => byText(a.key.model ?? '', b.key.model ?? '') || byText(a.key.gpu ?? '', b.key.gpu ?? '') || byText(a.id, b.id));
  return { best, families: ordered, regressions: ordered.reduce((n, f) => n + f.series.reduce((m, s) => m + s.regressions.length, 0), 0) };
}
