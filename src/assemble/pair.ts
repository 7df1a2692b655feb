/**
 * Pairing inside an experiment: each run with its server log and environment, by tags shared in
 * file names (`bench_nvfp4_…json` ↔ `vllm_nvfp4.log`), a lone log or capture serving every run, or
 * as experiment.yaml states. Labels tell runs apart in comparisons.
 */
import { messages } from '../messages.js';
import type { Environment, Experiment, ExperimentConfig, Message, Run, ServerLog } from '../model.js';

const GENERIC = new Set([
  'bench', 'benchmark', 'benchmarks', 'result', 'results', 'vllm', 'serve', 'serving', 'server', 'log', 'logs', 'json',
  'jsonl', 'txt', 'out', 'err', 'run', 'output', 'openai', 'summary', 'perf', 'evalscope', 'nvidia', 'smi', 'topo',
  'printed', 'saved', 'the', 'and', 'of', 'md',
]);

/** Tags a file name carries: lower-case words and numbers that are not generic. */
export function tagsOf(file: string): string[] {
  const base = (file.split('/').pop() ?? file).replace(/\.[A-Za-z0-9]+$/, '').toLowerCase();
  const seen = new Set<string>();
  for (const t of base.split(/[^a-z0-9.]+|(?<=\D)\.|\.(?=\D)/)) {
    if (t.length > 1 && !GENERIC.has(t) && !seen.has(t)) seen.add(t);
  }
  return [...seen];
}

function failedToStart(logs: ServerLog[]): boolean {
  return logs.length > 0 && logs.every((l) => l.findings.some((f) => f.code === 'engine-start-failed' || f.code === 'cuda-oom'));
}

/** The candidate sharing most tags with the run; ties broken by a preference, else none. */
function bestByTags(
  runTags: string[],
  candidates: string[],
  prefer: (file: string) => boolean,
): { file: string | null; ambiguous: string[] } {
  let best = 0;
  let top: string[] = [];
  for (const c of candidates) {
    const tags = new Set(tagsOf(c));
    const score = runTags.filter((t) => tags.has(t)).length;
    if (score > best) {
      best = score;
      top = [c];
    } else if (score === best && score > 0) top.push(c);
  }
  if (top.length === 1) return { file: top[0] ?? null, ambiguous: [] };
  if (top.length > 1) {
    const preferred = top.filter(prefer);
    if (preferred.length === 1) return { file: preferred[0] ?? null, ambiguous: [] };
    return { file: null, ambiguous: top };
  }
  return { file: null, ambiguous: [] };
}

/** A file-name word that numbers a repeat of one configuration (run1, rep-2, trial3): not what sets the run apart. */
const REPEAT = /^(run|rep|repeat|trial|try|iter|round|seed)\d+$/;

/** Longest label made from a file name's words; beyond it, a label from the runs' parameters reads better. */
const MAX_LABEL = 24;

/** The run's GPU capture, as pairing gave it (a lone capture serves every run). */
export function environmentOf(run: Run, exp: Experiment): Environment | undefined {
  return exp.environments.find((e) => e.file === run.environment);
}

/** A model's short name: "RedHatAI/Qwen3-32B-NVFP4" → "Qwen3-32B-NVFP4". */
export function shortModel(model: string | null): string | null {
  return model === null ? null : (model.replace(/[\\/]+$/, '').split(/[\\/]/).pop() ?? model);
}

/** Sweep parameters the label names through a run's own fields. */
const SHOWN_PARAMS = new Set(['model', 'dataset_name', 'max_concurrency', 'request_rate', 'num_prompts', 'random_input_len', 'random_output_len']);

/**
 * A label from what differs between the experiment's runs: model, concurrency, request rate,
 * request count, output length ("Qwen3-32B-FP8 c=16"); for a lone run, its concurrency, request rate or model.
 */
function paramLabel(run: Run, runs: Run[]): string {
  // What the tool recorded beside its figures, or what a sweep set (vllm bench sweep's random_input_len).
  const meta = (key: string) => (r: Run) => r.params?.[key] ?? r.metadata[key] ?? null;
  const params: [string, (r: Run) => string | null][] = [
    ['', (r) => shortModel(r.model)],
    ['', meta('dataset_name')],
    ['', meta('strategy')],
    ['c=', (r) => (r.concurrency === null ? null : String(r.concurrency))],
    // A rate the tool wrote as Infinity (requests sent at once) is "inf", not unknown.
    ['rate=', (r) => (r.requestRate !== null ? String(r.requestRate) : r.metadata['request_rate'] === 'inf' ? 'inf' : null)],
    ['n=', (r) => String(r.requests ?? r.completed ?? '') || null],
    ['in=', meta('random_input_len')],
    ['out≤', meta('random_output_len')],
    ['max_tokens=', (r) => (r.maxTokens === null ? null : String(r.maxTokens))],
    // A sweep's own parameters (max_num_seqs=64), but those the entries above already name.
    ...[...new Set(runs.flatMap((r) => Object.keys(r.params ?? {})))]
      .filter((k) => !SHOWN_PARAMS.has(k))
      .sort()
      .map((k): [string, (r: Run) => string | null] => [`${k}=`, (r) => r.params?.[k] ?? null]),
  ];
  if (runs.length === 1) {
    if (run.concurrency !== null) return `c=${run.concurrency}`;
    if (run.requestRate !== null) return `rate=${run.requestRate}`;
    return shortModel(run.model) ?? '';
  }
  return params
    .filter(([, pick]) => new Set(runs.map(pick)).size > 1)
    .map(([prefix, pick]) => {
      const v = pick(run);
      return v === null ? null : `${prefix}${v}`;
    })
    .filter((x): x is string => x !== null)
    .join(' ');
}

/** Whether two spellings name one model: the same last path part, case aside ("../models/Qwen3-32B" and "Qwen/Qwen3-32B"). */
function sameModel(a: string, b: string): boolean {
  const last = (m: string) => (shortModel(m) ?? m).toLowerCase();
  return last(a) === last(b);
}

/** A file's name without folder and extension, cut to a readable length. */
function shortStem(file: string): string {
  const stem = (file.split('/').pop() ?? file).replace(/\.[A-Za-z0-9]+$/, '');
  return stem.length <= MAX_LABEL ? stem : `${stem.slice(0, MAX_LABEL - 1)}…`;
}

function runKey(run: Run): string {
  return run.index === 0 ? run.file : `${run.file}#${run.index}`;
}

export interface PairResult {
  unpaired: string[];
  messages: Message[];
}

export function pairRuns(runs: Run[], logs: ServerLog[], envs: Environment[], config: ExperimentConfig | null): PairResult {
  const out: Message[] = [];
  const logFiles = [...new Set(logs.map((l) => l.file))].sort();
  const envFiles = [...new Set(envs.map((e) => e.file))].sort();
  const logsOf = (f: string) => logs.filter((l) => l.file === f);
  const statusEnvs = envs.filter((e) => e.gpus.length > 0).map((e) => e.file);

  // Tags and labels: what sets a run's file apart from the experiment's other runs.
  const fileTags = new Map<string, string[]>();
  for (const r of runs) if (!fileTags.has(r.file)) fileTags.set(r.file, tagsOf(r.file));
  const common = [...fileTags.values()].reduce<string[] | null>((acc, t) => (acc === null ? [...t] : acc.filter((x) => t.includes(x))), null) ?? [];
  const perFile = new Map<string, number>();
  for (const r of runs) perFile.set(r.file, (perFile.get(r.file) ?? 0) + 1);

  for (const run of runs) {
    run.tags = fileTags.get(run.file) ?? [];
    const own = config?.runs[runKey(run)] ?? config?.runs[run.file];
    const distinct = run.tags.filter((t) => !common.includes(t) && !REPEAT.test(t));
    const given = own?.label;
    if (given !== undefined && typeof given !== 'string') run.labels = { ...given };
    let label = (typeof given === 'string' ? given : given === undefined ? undefined : (given['en'] ?? Object.values(given)[0])) ?? run.metadata['label'] ?? '';
    if (!label) {
      const many = (perFile.get(run.file) ?? 0) > 1;
      const base = fileTags.size > 1 ? distinct.join(' ') : '';
      const within = many ? (run.concurrency !== null ? `c=${run.concurrency}` : `#${run.index + 1}`) : '';
      const fromTags = [base, within].filter(Boolean).join(' ');
      // What differs between the runs in their own figures (model, concurrency, rate, …) names them;
      // where nothing does (1 GPU vs 2 GPUs of one model), a file name's words, when they are few.
      const params = runs.length > 1 ? paramLabel(run, runs) : '';
      label = params || (fromTags.length <= MAX_LABEL ? fromTags : '') || paramLabel(run, [run]) || shortStem(run.file);
    }
    run.label = label;

    if (own?.serverLog !== undefined) {
      run.serverLog = logFiles.includes(own.serverLog) ? own.serverLog : null;
      if (run.serverLog === null) out.push(messages.configMissingFile('experiment.yaml', `/runs/${runKey(run)}/serverLog`, own.serverLog));
    } else if (logFiles.length === 1) run.serverLog = logFiles[0] ?? null;
    else if (logFiles.length > 1) {
      const pick = bestByTags(run.tags, logFiles, (f) => !failedToStart(logsOf(f)));
      run.serverLog = pick.file;
      if (pick.ambiguous.length > 0) out.push(messages.ambiguousPair(run.file, pick.ambiguous));
    }
    // A log serving another model is another run's: never paired by guess (experiment.yaml may still say so).
    if (own?.serverLog === undefined && run.serverLog !== null && run.model !== null) {
      const served = logsOf(run.serverLog).map((l) => l.model).find((m): m is string => m !== null) ?? null;
      if (served !== null && !sameModel(run.model, served)) {
        out.push(messages.modelMismatch(run.file, run.serverLog, run.model, served));
        run.serverLog = null;
      }
    }
    // A result file that is also a log (a sweep printout with server lines) pairs with itself.
    if (run.serverLog === null && logFiles.includes(run.file)) run.serverLog = run.file;

    if (own?.environment !== undefined) {
      run.environment = envFiles.includes(own.environment) ? own.environment : null;
      if (run.environment === null) out.push(messages.configMissingFile('experiment.yaml', `/runs/${runKey(run)}/environment`, own.environment));
    } else if (envFiles.length === 1) run.environment = envFiles[0] ?? null;
    else if (envFiles.length > 1) {
      const pick = bestByTags(run.tags, envFiles, (f) => statusEnvs.includes(f));
      run.environment = pick.file ?? (statusEnvs.length === 1 ? (statusEnvs[0] ?? null) : null);
    }
  }
  const used = new Set(runs.flatMap((r) => [r.serverLog, r.environment]).filter((x): x is string => x !== null));
  // Topology and NUMA captures describe the whole machine: they need no run of their own.
  const machineWide = new Set(envs.filter((e) => e.gpus.length === 0).map((e) => e.file));
  const unpaired = [...logFiles, ...envFiles].filter((f) => !used.has(f) && !machineWide.has(f));
  for (const f of unpaired) out.push(messages.unpaired(f, logFiles.includes(f) ? 'server log' : 'environment capture'));
  numberRepeats(runs, (run) => parallelism(run, logsOf, config));
  return { unpaired, messages: out };
}

/**
 * How a run's server was spread over GPUs, as a label names it: from its server log ("TP=2",
 * "TP=4 PP=2", "TP=8 DP=2"), else experiment.yaml's GPU count ("2×GPU"); null when neither says.
 */
function parallelism(run: Run, logsOf: (file: string) => ServerLog[], config: ExperimentConfig | null): string | null {
  const log = run.serverLog === null ? undefined : logsOf(run.serverLog).find((l) => l.tensorParallelSize !== null);
  if (log?.tensorParallelSize) {
    const more = (name: string, n: number | null) => (n !== null && n > 1 ? ` ${name}=${n}` : '');
    return `TP=${log.tensorParallelSize}${more('PP', log.pipelineParallelSize)}${more('DP', log.dataParallelSize)}`;
  }
  const gpus = (config?.runs[runKey(run)] ?? config?.runs[run.file])?.gpus;
  return gpus === undefined ? null : `${gpus}×GPU`;
}

/** What a run measured: every figure, so that two runs alike in it are one run read twice. */
function fingerprint(r: Run): string | null {
  if (r.durationS === null && r.outputTokenThroughput === null && r.latencyMs === null) return null;
  return JSON.stringify([r.model, r.completed, r.failed, r.durationS, r.requestThroughput, r.outputTokenThroughput, r.totalTokenThroughput, r.totalInputTokens, r.totalOutputTokens, r.latencyMs, r.ttftMs, r.tpotMs, r.itlMs, r.metadata['date'] ?? null]);
}

/**
 * Drops a run read twice (a sweep's `run=N.json` and its `summary.json` and `summary.csv`; a result
 * copied to two folders): every figure alike. The copy kept is the one from the file holding the
 * fewest runs (the run's own file), else the first. Returns the runs kept and what was dropped.
 */
export function dropRepeatedRuns(runs: Run[]): { runs: Run[]; messages: Message[] } {
  const perFile = new Map<string, number>();
  for (const r of runs) perFile.set(r.file, (perFile.get(r.file) ?? 0) + 1);
  const alike = new Map<string, Run[]>();
  for (const r of runs) {
    const key = fingerprint(r);
    if (key !== null) alike.set(key, [...(alike.get(key) ?? []), r]);
  }
  const drop = new Set<Run>();
  const byFile = new Map<string, { runs: number; kept: Set<string> }>();
  for (const same of alike.values()) {
    const keep = same.reduce((a, b) => ((perFile.get(b.file) ?? 0) < (perFile.get(a.file) ?? 0) ? b : a));
    // Alike runs of one file are that file's repeats, not a copy.
    for (const r of same.filter((x) => x.file !== keep.file)) {
      drop.add(r);
      const entry = byFile.get(r.file) ?? { runs: 0, kept: new Set<string>() };
      entry.runs++;
      entry.kept.add(keep.file);
      byFile.set(r.file, entry);
    }
  }
  const out = [...byFile].map(([file, { runs: n, kept }]) => messages.duplicateRun(file, n, [...kept]));
  return { runs: runs.filter((r) => !drop.has(r)), messages: out };
}

/**
 * Runs that share a label and the same parallelism are repeats of one configuration: each gets
 * " #n" in file order, and the comparison measures their spread. Runs that share a label but ran
 * on different GPU counts (one model at TP=1 and TP=2) are not repeats: their labels name it.
 */
function numberRepeats(runs: Run[], parallel: (run: Run) => string | null): void {
  const suffix = (r: Run, tail: string) => {
    r.label = `${r.label}${tail}`;
    if (r.labels) r.labels = Object.fromEntries(Object.entries(r.labels).map(([l, v]) => [l, `${v}${tail}`]));
  };
  const byLabel = (rs: Run[]) => {
    const out = new Map<string, Run[]>();
    for (const r of rs) out.set(r.label, [...(out.get(r.label) ?? []), r]);
    return [...out.values()].filter((same) => same.length >= 2);
  };
  for (const same of byLabel(runs)) {
    const hints = same.map(parallel);
    if (hints.every((h) => h !== null) && new Set(hints).size > 1) same.forEach((r, i) => suffix(r, ` ${hints[i]}`));
  }
  for (const same of byLabel(runs)) same.forEach((r, i) => suffix(r, ` #${i + 1}`));
}
