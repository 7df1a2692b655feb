/**
 * The view a report template renders: the experiment's model and derived figures, with every
 * string that came from an artifact already escaped for Markdown (mdText / mdCode / mdFence).
 * Numbers stay numbers; the templates' helpers format them per locale.
 */
import { configLabel, precisionOfLog, type Comparison, type Derived, type RunFacts, type Sweep } from '../../assemble/derive.js';
import { linkFrom, readmePath, reportPath } from '../../layout.js';
import { FINDING_CODES, localized, type Environment, type Experiment, type FormatFacts, type Localized, type Message, type Provenance, type RawText, type ServerLog, type Slo } from '../../model.js';
import { e2eOf, perUserBasis, sameSection, type ChartKind, type ChartSection } from '../charts/specs.js';
import type { ReadmeSection } from '../../products.js';
import { decimalsFor, formatFixed, seconds, type Digits, type Quantity } from '../numbers.js';
import { mdCode, mdFence, mdHref, mdHtmlText, mdNotes, mdText } from './escape.js';
import { beatenBy, paretoShown, type ParetoRun } from '../../assemble/pareto.js';
import { repeatsOf, type KeyedRun } from '../../assemble/series.js';
import { highestMeetingSlo, sloOf } from '../../assemble/slo.js';

export interface ChartRef {
  kind: ChartKind;
  section: ChartSection;
  title: string;
  /** Path relative to the repository root, e.g. images/<slug>-throughput.en.png */
  path: string;
}

export interface ReportInput {
  exp: Experiment;
  derived: Derived;
  slug: string;
  locale: string;
  locales: string[];
  messages: Message[];
  notes: string | null;
  charts: ChartRef[];
  /** Raw text of result files by experiment-relative path (for the raw-data section). */
  raw: Record<string, RawText>;
  /** What each input format of the experiment says of itself (field provenance). */
  formats: Record<string, FormatFacts>;
  defaultLocale: string;
  /** Each locale's name in its own language ("中文", "English"). */
  localeNames: Record<string, string>;
  /** The locale's words (templates/<locale>/words.json), for the few texts the view composes (a title made from the runs). */
  words: Record<string, string>;
  /** Each quantity's decimals in this experiment (numbers.ts digitsFor), the charts' too. */
  digits: Digits;
  /** The SLO the runs are checked against (experiment.yaml's, else benchbook.config.json's), or null. */
  slo: Slo | null;
  /** Every run with its configuration key (assemble/series.ts keyedRuns). */
  keyed: KeyedRun[];
}

/** The language line: every locale in order, the current one as plain text, the others linked. */
function languages(locales: string[], current: string, names: Record<string, string>, href: (l: string) => string) {
  return locales.map((l) => ({ name: names[l] ?? l, href: l === current ? null : mdHref(href(l)) }));
}

const s = mdText;
const c = mdCode;


/** A link to `path` from a report (in reports/) or from the README (at the root). */
function rel(fromReport: boolean, path: string): string {
  return mdHref(fromReport ? linkFrom(reportPath('x', 'x'), path) : path);
}

function gpuSummary(envs: Environment[]): { text: string; files: string[] }[] {
  const out: { text: string; files: string[] }[] = [];
  for (const e of envs) {
    if (e.gpus.length === 0) continue;
    const byName = new Map<string, { n: number; mem: number | null }>();
    for (const g of e.gpus) {
      const cur = byName.get(g.name) ?? { n: 0, mem: g.memoryTotalMiB };
      cur.n++;
      byName.set(g.name, cur);
    }
    const parts = [...byName.entries()].map(([name, v]) => `${v.n}× ${s(name)}${v.mem !== null ? ` (${v.mem} MiB)` : ''}`);
    const text = parts.join(', ');
    const same = out.find((o) => o.text === text);
    if (same) same.files.push(c(e.file));
    else out.push({ text, files: [c(e.file)] });
  }
  return out;
}

function linkGroups(envs: Environment[]): { type: string; typeKey: string; pairs: string[] }[] {
  const byType = new Map<string, string[]>();
  for (const e of envs) {
    for (const l of e.links) {
      if (!/^GPU\d+$/.test(l.from) || !/^GPU\d+$/.test(l.to)) continue;
      if (Number(l.from.slice(3)) >= Number(l.to.slice(3))) continue;
      const list = byType.get(l.type) ?? [];
      list.push(`${l.from}–${l.to}`);
      byType.set(l.type, list);
    }
  }
  return [...byType.entries()].map(([type, pairs]) => ({
    type: s(type),
    typeKey: /^NV\d+$/.test(type) ? 'NV' : type,
    pairs: pairs.map(s),
  }));
}

function launchFromLog(log: ServerLog | null): string | null {
  const args = log?.nonDefaultArgs;
  if (!args) return null;
  const model = args['model_tag'] ?? args['model'];
  if (typeof model !== 'string') return null;
  const flags = Object.entries(args)
    .filter(([k, v]) => k !== 'model_tag' && k !== 'model' && v !== null && v !== false && !/^(subparser|dispatch_function)$/.test(k))
    .filter(([, v]) => typeof v !== 'string' || !/^[A-Z]\w+\(/.test(v))
    .map(([k, v]) => `--${k.replace(/_/g, '-')}${v === true ? '' : ` ${typeof v === 'string' && /\s/.test(v) ? JSON.stringify(v) : String(v)}`}`);
  return `vllm serve ${model} ${flags.join(' ')}`.trim();
}

/**
 * experiment.yaml fact keys benchbook has words for in every locale (`fact.<key>` in words.json),
 * by their lower-case spelling; any other key is shown as words (`benchmarkServing` → "benchmark serving").
 */
export const KNOWN_FACTS = ['machine', 'gpu', 'gpus', 'hardware', 'cpu', 'memory', 'os', 'kernel', 'driver', 'cuda', 'engine', 'model', 'quantization', 'dtype', 'kvCacheDtype', 'topology', 'network', 'prompt', 'dataset', 'container', 'loadGenerator'] as const;

function knownFact(key: string): string | null {
  return KNOWN_FACTS.find((k) => k.toLowerCase() === key.replace(/[_-]/g, '').toLowerCase()) ?? null;
}

/**
 * Whether a known experiment.yaml fact only repeats what the hardware captures already put in the
 * environment table: the GPUs, or the same driver or CUDA version. A different version stays, so
 * that the reader sees the two disagree.
 */
function shownByCaptures(known: string | null, value: unknown, envs: Environment[]): boolean {
  if (known === 'gpu' || known === 'gpus' || known === 'hardware') return envs.some((e) => e.gpus.length > 0);
  if (known === 'driver') return envs.some((e) => e.driverVersion !== null && e.driverVersion === String(value));
  if (known === 'cuda') return envs.some((e) => e.cudaVersion !== null && e.cudaVersion === String(value));
  return false;
}

/** A key as words: camelCase, snake_case and kebab-case split, acronyms kept. */
function humanKey(key: string): string {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .split(' ')
    .map((w) => (/^[A-Z0-9]+$/.test(w) ? w : w.toLowerCase()))
    .join(' ');
}

/**
 * A model given as a filesystem path ("../models/gpt-oss-120b", "/data/Qwen3-32B/") as its name, the
 * path's last part; a hub id ("org/name") is its own name.
 */
export function modelName(model: string): string {
  const trimmed = model.replace(/[\\/]+$/, '');
  const isPath = /^(\.{1,2}[\\/]|[\\/]|~[\\/]|[A-Za-z]:[\\/])/.test(trimmed) || (trimmed.match(/[\\/]/g) ?? []).length > 1;
  return isPath ? (trimmed.split(/[\\/]/).pop() ?? trimmed) || trimmed : trimmed;
}

/** For each column, whether any row has a value in it: a column of dashes is left out. */
function filled<R, K extends string>(rows: R[], columns: Record<K, (r: R) => unknown>): Record<K, boolean> {
  const has = (pick: (r: R) => unknown) => rows.some((r) => pick(r) !== null && pick(r) !== undefined);
  return Object.fromEntries(Object.entries<(r: R) => unknown>(columns).map(([k, pick]) => [k, has(pick)])) as Record<K, boolean>;
}

/** How much of a result file the raw-data section shows: whole lines, up to this many lines and characters. */
const RAW_LINES = 80;
const RAW_CHARS = 6000;

const LATENCY_STATS = ['mean', 'p50', 'p90', 'p95', 'p99'] as const;

/**
 * Every latency figure the runs' sources give: a row per run and metric (TTFT, TPOT, ITL in ms,
 * end to end in s), a column per statistic that any row has; rows and columns with no figure left out.
 */
function latencyTable(facts: RunFacts[]) {
  const metrics = [
    ['ttft', (r: RunFacts['run']) => r.ttftMs, 'ttftMs'],
    ['tpot', (r: RunFacts['run']) => r.tpotMs, 'tpotMs'],
    ['itl', (r: RunFacts['run']) => r.itlMs, 'itlMs'],
    ['e2e', (r: RunFacts['run']) => r.latencyMs, 'latencyS'],
  ] as const;
  // Grouped by metric, so that the rows sharing a unit and a number of decimals stand together.
  const rows = metrics.flatMap(([metric, pick, quantity]) =>
    facts.flatMap((f) => {
      const stat = pick(f.run);
      if (!stat) return [];
      const values = LATENCY_STATS.map((k) => (stat[k] === null ? null : quantity === 'latencyS' ? seconds(stat[k]) : stat[k]));
      return values.some((v) => v !== null) ? [{ label: s(f.run.label), metric, quantity: quantity as Quantity, values }] : [];
    }),
  );
  const keep = LATENCY_STATS.map((_, i) => rows.some((r) => r.values[i] !== null));
  return {
    columns: LATENCY_STATS.filter((_, i) => keep[i]),
    rows: rows.map((r) => ({ ...r, values: r.values.filter((_, i) => keep[i]) })),
  };
}

/**
 * Where a run's headline figures come from, in one locale: the format's source field for each figure
 * the run has, '–' for one it does not (a printout without E2EL cites no E2EL field); null when the
 * format states none. The source's own field names and formulas show as code.
 */
export function provenanceOf(facts: FormatFacts | undefined, run: RunFacts['run'], locale: string, text: string): Record<string, string> | null {
  const p = facts?.provenance;
  if (!p) return null;
  /** The alternative whose quoted labels (else field names) the file has; the first when none fits. */
  const pick = (v: Provenance): string => {
    const options = (typeof v === 'string' || !Array.isArray(v) ? [v] : v).map((o) => localized(o as Localized, locale));
    const fits = (o: string) => {
      const labels = [...o.matchAll(/"([^"]+)"/g)].map((m) => (m[1] as string).replace(/ \([^)]*\)$/, ''));
      const names = labels.length > 0 ? labels : (o.match(/[A-Za-z_][A-Za-z0-9_]{2,}/g) ?? []).filter((f) => !/NN/.test(f));
      return names.every((n) => text.includes(n.toLowerCase()));
    };
    return options.find(fits) ?? options[0] ?? '–';
  };
  const has: Record<string, boolean> = {
    requestThroughput: run.requestThroughput !== null,
    inputTokenThroughput: run.inputTokenThroughput !== null,
    outputTokenThroughput: run.outputTokenThroughput !== null,
    latency: run.latencyMs !== null,
  };
  return Object.fromEntries(
    Object.entries(p).map(([k, v]) => {
      const chosen = pick(v as Provenance);
      return [k, !has[k] || chosen === '–' ? '–' : c(chosen)];
    }),
  );
}

function provenanceByFormat(runs: ReturnType<typeof runRow>[]) {
  const groups = new Map<string, { format: string; files: string[]; requestThroughput: string; inputTokenThroughput: string; outputTokenThroughput: string; latency: string }>();
  for (const r of runs) {
    const p = r.provenance;
    if (!p) continue;
    const cells = { requestThroughput: p['requestThroughput'] ?? '–', inputTokenThroughput: p['inputTokenThroughput'] ?? '–', outputTokenThroughput: p['outputTokenThroughput'] ?? '–', latency: p['latency'] ?? '–' };
    const key = JSON.stringify([r.format, cells]);
    const g = groups.get(key) ?? { format: r.format, files: [], ...cells };
    if (!g.files.includes(r.file)) g.files.push(r.file);
    groups.set(key, g);
  }
  return [...groups.values()];
}

const DEFINED = ['ttft', 'tpot', 'itl', 'latency', 'outputTokenThroughput'] as const;

/** How each source format's tool computes the figures, one row per format of the runs; columns no format defines are left out. */
function toolDefinitions(exp: Experiment, formats: Record<string, FormatFacts>, locale: string) {
  const rows = [...new Set(exp.runs.map((r) => r.format))]
    .map((id) => ({ format: s(formats[id] ? localized(formats[id]?.name ?? id, locale) : id), definitions: DEFINED.map((m) => formats[id]?.definitions[m] ?? null) }))
    .filter((r) => r.definitions.some((d) => d !== null));
  const keep = DEFINED.map((_, i) => rows.some((r) => r.definitions[i] !== null));
  return {
    columns: DEFINED.filter((_, i) => keep[i]),
    rows: rows.map((r) => ({ format: r.format, definitions: r.definitions.filter((_, i) => keep[i]) })),
  };
}

function rowContext(exp: Experiment, raw: Record<string, RawText>): RowContext {
  const perFile = new Map<string, number>();
  for (const r of exp.runs) perFile.set(r.file, (perFile.get(r.file) ?? 0) + 1);
  const lower = new Map<string, string>();
  return {
    several: (file) => (perFile.get(file) ?? 0) > 1,
    source(file) {
      let t = lower.get(file);
      if (t === undefined) lower.set(file, (t = (raw[file]?.text ?? '').toLowerCase()));
      return t;
    },
  };
}

/** What a run's row needs of the rest of its experiment: whether its file holds several runs, and that file's text in lower case. */
interface RowContext {
  several(file: string): boolean;
  source(file: string): string;
}

function runRow(f: RunFacts, formats: Record<string, FormatFacts>, locale: string, row: RowContext) {
  const r = f.run;
  return {
    label: s(r.label),
    file: c(r.file),
    model: f.setup.model ? s(modelName(f.setup.model)) : null,
    /** The path the model was given as, when it was one (shown beside its name in the setup table). */
    modelPath: f.setup.model && modelName(f.setup.model) !== f.setup.model ? c(f.setup.model) : null,
    format: s(formats[r.format] ? localized(formats[r.format]?.name ?? r.format, locale) : r.format),
    concurrency: r.concurrency,
    requests: r.requests,
    completed: r.completed,
    failed: r.failed,
    maxTokens: r.maxTokens,
    requestRate: r.requestRate,
    inputTokensMean: r.inputTokensMean,
    outputTokensMean: r.outputTokensMean,
    durationS: r.durationS,
    qps: r.requestThroughput,
    promptTps: r.inputTokenThroughput,
    decodeTps: r.outputTokenThroughput,
    totalTps: r.totalTokenThroughput,
    latMeanS: seconds(r.latencyMs?.mean),
    /** Mean latency, or the median where the source gives no mean (latIsP50 says which). */
    latS: seconds(r.latencyMs?.mean ?? r.latencyMs?.p50),
    latIsP50: (r.latencyMs?.mean ?? null) === null && (r.latencyMs?.p50 ?? null) !== null,
    latP50S: seconds(r.latencyMs?.p50),
    latP95S: seconds(r.latencyMs?.p95),
    latP99S: seconds(r.latencyMs?.p99),
    /** False when the run did not stream: its TTFT, TPOT and ITL do not exist (shown as such, not as "–"). */
    streaming: r.streaming,
    ttftMeanMs: r.ttftMs?.mean ?? null,
    ttftP99Ms: r.ttftMs?.p99 ?? null,
    tpotMeanMs: r.tpotMs?.mean ?? null,
    itlMeanMs: r.itlMs?.mean ?? null,
    msPerToken: r.msPerOutputToken,
    gpus: f.gpus,
    precision: f.precision ? s(f.precision) : null,
    precisionSource: f.precisionSource,
    dtype: f.setup.dtype ? s(f.setup.dtype) : null,
    kvCacheDtype: f.setup.kvCacheDtype ? s(f.setup.kvCacheDtype) : null,
    quantizationRequested:
      f.log?.quantizationRequested && f.log.quantizationRequested !== f.log.quantization ? s(f.log.quantizationRequested) : null,
    kvRequested: f.log?.kvCacheDtypeRequested && f.log.kvCacheDtypeRequested !== f.log.kvCacheDtype ? s(f.log.kvCacheDtypeRequested) : null,
    tp: f.setup.tensorParallel,
    pp: f.setup.pipelineParallel,
    vllmVersion: f.setup.vllmVersion ? s(f.setup.vllmVersion) : null,
    serverLog: r.serverLog ? c(r.serverLog) : null,
    environment: r.environment ? c(r.environment) : null,
    provenance: provenanceOf(formats[r.format], r, locale, row.source(r.file)),
    /** Where in its file the run is: a line of a printout, or the n-th (1-based) record of a file of several. */
    where: { file: c(r.file), line: r.line, record: r.line === null && row.several(r.file) ? r.index + 1 : null },
  };
}

/** The metrics a comparison shows whose runs' tools define them differently: each definition with the runs that use it. */
function definitionNotes(cmp: Comparison, formats: Record<string, FormatFacts>) {
  const metrics = [
    ['ttft', (r: RunFacts['run']) => r.ttftMs],
    ['tpot', (r: RunFacts['run']) => r.tpotMs],
    ['itl', (r: RunFacts['run']) => r.itlMs],
    ['outputTokenThroughput', (r: RunFacts['run']) => r.outputTokenThroughput],
  ] as const;
  return metrics.flatMap(([metric, pick]) => {
    const byDefinition = new Map<string, string[]>();
    for (const f of cmp.runs) {
      const id = formats[f.run.format]?.definitions[metric];
      if (pick(f.run) === null || id === undefined) continue;
      byDefinition.set(id, [...(byDefinition.get(id) ?? []), s(f.run.label)]);
    }
    return byDefinition.size > 1 ? [{ metric, uses: [...byDefinition].map(([definition, labels]) => ({ definition, labels })) }] : [];
  });
}

function comparisonView(cmp: Comparison, charts: ChartRef[], index: number, fromReport: boolean, formats: Record<string, FormatFacts> = {}) {
  return {
    axis: cmp.axis,
    /** Metrics whose definition differs between the compared runs' tools (said under the table). */
    definitions: definitionNotes(cmp, formats),
    baseline: s(cmp.baseline.run.label),
    rows: cmp.ratios.map((r) => ({
      label: s(r.facts.run.label),
      isBaseline: r.facts === cmp.baseline,
      streaming: r.facts.run.streaming,
      gpus: r.facts.gpus,
      qps: r.ratios.requestThroughput,
      prompt: r.ratios.inputTokenThroughput,
      decode: r.ratios.outputTokenThroughput,
      latency: r.ratios.latency,
      ttft: r.ratios.ttft,
      gpuRatio: r.gpuRatio,
      efficiency: r.scalingEfficiency,
    })),
    ranking: cmp.ranking.map((f) => ({ label: s(f.run.label), decode: f.run.outputTokenThroughput })),
    differences: cmp.differences.map((d) => ({
      field: d.field,
      values: d.values.map((v) => ({ label: s(v.label), value: typeof v.value === 'number' ? v.value : v.value === null ? null : s(v.value) })),
    })),
    charts: charts.filter((ch) => sameSection(ch.section, { kind: 'comparison', index })).map((ch) => chartView(ch, fromReport)),
  };
}

function chartView(ch: ChartRef, fromReport: boolean) {
  return { title: s(ch.title), href: rel(fromReport, ch.path), alt: s(ch.title) };
}

function sweepView(sw: Sweep, charts: ChartRef[], index: number, fromReport: boolean) {
  return {
    source: c(sw.source),
    rows: sw.points.map((p) => ({
      concurrency: p.concurrency,
      label: s(p.run.label),
      qps: p.run.requestThroughput,
      latS: seconds(p.run.latencyMs?.mean ?? p.run.latencyMs?.p50),
      tps: p.run.outputTokenThroughput,
      failed: p.run.failed,
      requests: p.run.requests,
    })),
    peak: { concurrency: sw.peak.concurrency, tps: sw.peak.run.outputTokenThroughput },
    charts: charts.filter((ch) => sameSection(ch.section, { kind: 'sweep', index })).map((ch) => chartView(ch, fromReport)),
  };
}

/** Whether a log file holds several engine starts (a retry, interleaved engines): then each row says which. */
function severalStarts(logs: ServerLog[], file: string): boolean {
  return logs.filter((l) => l.file === file).length > 1;
}

function findingRows(logs: ServerLog[]) {
  return logs.flatMap((l) =>
    l.findings.map((f) => ({
      file: c(l.file),
      engine: l.index,
      several: severalStarts(logs, l.file),
      pid: l.pid,
      code: f.code,
      severity: f.severity,
      phase: f.phase ?? null,
      line: f.line,
      text: c(f.text),
    })),
  );
}

function logRows(logs: ServerLog[]) {
  return logs.map((l) => ({
    file: c(l.file),
    engine: l.index,
    several: severalStarts(logs, l.file),
    pid: l.pid,
    version: l.vllmVersion ? s(l.vllmVersion) : null,
    engineKind: l.engine,
    model: l.model ? s(l.model) : null,
    quantization: l.quantization ? s(precisionOfLog(l, null)) : null,
    quantizationRequested: l.quantizationRequested ? s(l.quantizationRequested) : null,
    dtype: l.dtype ? s(l.dtype) : null,
    kv: l.kvCacheDtype ? s(l.kvCacheDtype) : null,
    tp: l.tensorParallelSize,
    pp: l.pipelineParallelSize,
    maxModelLen: l.maxModelLen,
    gpuMemoryUtilization: l.gpuMemoryUtilization,
    maxNumSeqs: l.maxNumSeqs,
    attention: l.attentionBackend ? s(l.attentionBackend) : null,
    loadGiB: l.modelLoadGiB,
    loadS: l.modelLoadS,
    kvTokens: l.kvCacheTokens,
    maxConcurrency: l.maxConcurrency,
    graphS: l.cudaGraphCaptureS,
    peakPrompt: l.peakPromptTps,
    peakGeneration: l.peakGenerationTps,
    spec: l.specDecoding,
    // Rates in % as logged → fractions, as every percentage of the report; shown only where the cache hit at all.
    prefix: l.prefixCacheHitRate && l.prefixCacheHitRate.max > 0 ? { last: l.prefixCacheHitRate.last / 100, min: l.prefixCacheHitRate.min / 100, max: l.prefixCacheHitRate.max / 100, lines: l.prefixCacheHitRate.lines } : null,
  }));
}

/** The marker that makes a list item of the author's notes a README headline. */
const HEADLINE_MARK = /[ \t]*<!--\s*headline\s*-->/gi;

/** The list items of the notes that carry the headline marker, without it, escaped. */
function headlineNotes(notes: string): string[] {
  const items = notes.replace(/\r\n?/g, '\n').split(/\n(?=[-*] )/);
  return items.filter((i) => /^[-*] /.test(i.trimStart()) && new RegExp(HEADLINE_MARK.source, 'i').test(i)).map((i) => mdNotes(i.trim().replace(/^[-*] /, '').replace(HEADLINE_MARK, '').replace(/\n\s*/g, ' ')));
}

/** One value, or the range the runs span, per load parameter they state. */
function loadOf(runs: Experiment['runs']): string | null {
  const span = (name: string, pick: (r: Experiment['runs'][number]) => number | null) => {
    const vs = [...new Set(runs.map(pick).filter((v): v is number => v !== null))].sort((a, b) => a - b);
    if (vs.length === 0) return null;
    return `${name}=${vs.length === 1 ? vs[0] : `${vs[0]}–${vs[vs.length - 1]}`}`;
  };
  const parts = [span('c', (r) => r.concurrency), span('r', (r) => r.requests), span('max_tokens', (r) => r.maxTokens)].filter((p): p is string => p !== null);
  return parts.length ? s(parts.join(' / ')) : null;
}

/**
 * Messages the report's problem appendix lists: not the ones it says otherwise (an unpaired file is
 * listed by name below; "no results" is what the report's own sections say).
 */
function shownAsProblem(m: Message): boolean {
  return !['unpaired', 'no-results', 'unwrapped', 'duplicate-run', 'sweep-warmup'].includes(m.rule);
}

/** Server logs no run is paired with, where there are runs to pair with (a folder of a log alone is not a problem). */
function unpairedLogs(exp: Experiment): string[] {
  return exp.runs.length === 0 ? [] : exp.unpaired.filter((f) => exp.serverLogs.some((l) => l.file === f));
}

function latencyStatOf(runs: { latS: number | null; latIsP50: boolean }[]): 'mean' | 'p50' | 'mixed' {
  const shown = runs.filter((r) => r.latS !== null);
  if (shown.length > 0 && shown.every((r) => r.latIsP50)) return 'p50';
  return shown.some((r) => r.latIsP50) ? 'mixed' : 'mean';
}

/** experiment.yaml's title in this locale, else one made from the model, the hardware and what varies. */
function titleOf(exp: Experiment, d: Derived, locale: string, words: Record<string, string>): string {
  const t = exp.config?.title;
  return t?.[locale] ?? t?.['default'] ?? Object.values(t ?? {})[0] ?? autoTitle(exp, d, words) ?? exp.id;
}

/**
 * "Qwen3-32B · 1× NVIDIA L40S · precision comparison": the models' common name, the GPUs the
 * captures show, and what the runs compare (a comparison's axis, a concurrency sweep).
 */
function autoTitle(exp: Experiment, d: Derived, words: Record<string, string>): string | null {
  const named = exp.runs.length > 0 ? exp.runs.map((r) => r.model) : exp.serverLogs.map((l) => l.model);
  const models = [...new Set(named.filter((m): m is string => m !== null).map((m) => modelName(m).split('/').pop() ?? m))];
  const model = commonName(models);
  const env = exp.environments.find((e) => e.gpus.length > 0);
  const gpu = env ? `${env.gpus.length}× ${[...new Set(env.gpus.map((g) => g.name))].join(' + ')}` : null;
  const varies = [...new Set([...d.comparisons.map((c) => `title.varies.${c.axis}`), ...(d.sweeps.length ? ['title.varies.sweep'] : [])])].map((k) => words[k]).filter((w): w is string => !!w);
  if (varies.length === 0 && exp.runs.length === 1) varies.push(words['title.varies.single'] ?? '');
  // What varies alone says too little: the folder's own name says more.
  if (model === null && gpu === null) return null;
  return [model, gpu, varies.join(words['sep.enum'] ?? ', ')].filter((p): p is string => !!p).join(' · ');
}

/** What several model names share, cut at a separator ("Qwen3-32B", "Qwen3-32B-FP8" → "Qwen3-32B"); one name as it is. */
function commonName(names: string[]): string | null {
  if (names.length <= 1) return names[0] ?? null;
  let prefix = names[0] ?? '';
  for (const n of names) while (!n.startsWith(prefix)) prefix = prefix.slice(0, -1);
  // A prefix that is not itself one of the names ends at a separator ("Llama-3-8" of "Llama-3-8B" and "Llama-3-80B" is no name).
  if (!names.includes(prefix)) prefix = prefix.replace(/[^-_.\s]*$/, '');
  prefix = prefix.replace(/[-_.\s]+$/, '');
  return /[A-Za-z]/.test(prefix) ? prefix : null;
}

function goalOf(exp: Experiment, locale: string): string | null {
  const g = exp.config?.goal;
  return g?.[locale] ?? g?.['default'] ?? Object.values(g ?? {})[0] ?? null;
}

/** The test environment: what the captures show and the experiment.yaml facts they do not. */
function environmentView(exp: Experiment, formats: Record<string, FormatFacts>, locale: string) {
  const envs = exp.environments;
  return {
    gpus: gpuSummary(envs),
    driver: [...new Set(envs.map((e) => e.driverVersion).filter((x): x is string => x !== null))].map(s).join(', ') || null,
    cuda: [...new Set(envs.map((e) => e.cudaVersion).filter((x): x is string => x !== null))].map(s).join(', ') || null,
    mig: envs.flatMap((e) => e.migDevices.map((m) => ({ gpu: m.gpu, gi: m.gi, ci: m.ci, index: m.index, memory: m.memoryTotalMiB, profile: m.profile ? s(m.profile) : null }))),
    migModes: envs.flatMap((e) => e.gpus.filter((g) => g.migMode === 'Enabled').map((g) => g.index)),
    links: linkGroups(envs),
    affinity: envs.flatMap((e) =>
      Object.entries(e.cpuAffinity)
        .filter(([dev]) => /^GPU/.test(dev))
        .map(([dev, cpus]) => ({ device: s(dev), cpus: s(cpus), numa: e.numaAffinity[dev] !== undefined ? s(e.numaAffinity[dev] as string) : null })),
    ),
    numa: envs.flatMap((e) => e.numaNodes.map((n) => ({ node: n.node, cpus: s(n.cpus), sizeMB: n.sizeMB, freeMB: n.freeMB }))),
    files: envs.map((e) => ({ file: c(e.file), sections: e.sections.map((id) => s(formats[id] ? localized(formats[id]?.name ?? id, locale) : id)) })),
    facts: Object.entries(exp.config?.facts ?? {})
      .filter(([k]) => k !== 'load') // shown as the load command
      .filter(([k, v]) => !shownByCaptures(knownFact(k), v, envs))
      .map(([k, v]) => ({ id: k, known: knownFact(k), key: s(humanKey(k)), value: s(typeof v === 'object' ? localized(v, locale) : String(v)) })),
    empty: envs.length === 0 && Object.keys(exp.config?.facts ?? {}).every((k) => k === 'load'),
  };
}

/** A result file's head for the raw-data appendix: whole lines, and whether (and where) it was cut. */
function rawView(f: string, raw: RawText | undefined) {
  const { text, lines: total, bytes, sha256 } = raw ?? { text: '', lines: 0, bytes: 0, sha256: '' };
  const all = text.replace(/\n$/, '').split('\n');
  // Whole lines only, at most RAW_LINES and RAW_CHARS; a single longer line is cut where the limit falls, and says so.
  const shown: string[] = [];
  let size = 0;
  for (const line of all.slice(0, RAW_LINES)) {
    if (shown.length > 0 && size + line.length > RAW_CHARS) break;
    shown.push(line);
    size += line.length + 1;
  }
  const inLine = shown.length === 1 && (shown[0] ?? '').length > RAW_CHARS;
  const body = inLine ? (shown[0] ?? '').slice(0, RAW_CHARS) : shown.join('\n');
  const cut = inLine || shown.length < total;
  return { file: c(f), fileHtml: mdHtmlText(f), fence: mdFence(body, /\.json$/i.test(f) ? 'json' : 'text'), cut, inLine, shown: shown.length, lines: total, chars: RAW_CHARS, bytes, sha256 };
}

/** One block per distinct launch command, naming every run it served (a sweep has one server). */
function launchesOf(facts: RunFacts[]) {
  return [
    ...facts
      .reduce((groups, f) => {
        const own = f.launch;
        const cmd = own ?? launchFromLog(f.log);
        if (cmd === null) return groups;
        const key = `${own === null}\u0000${cmd}`;
        const g = groups.get(key) ?? { labels: [] as string[], fence: mdFence(cmd, 'sh'), rebuilt: own === null };
        g.labels.push(s(f.run.label));
        return groups.set(key, g);
      }, new Map<string, { labels: string[]; fence: string; rebuilt: boolean }>())
      .values(),
  ].map((g) => ({ labels: g.labels, fence: g.fence, rebuilt: g.rebuilt }));
}

/** The Pareto section: every placed run, its place on both axes and whether it is on the front; null where the runs trade nothing. */
function paretoView(runs: ParetoRun[], charts: ChartRef[], locale: string) {
  if (!paretoShown(runs)) return null;
  const e2e = e2eOf(runs);
  const ordered = [...runs].sort((a, b) => b.tokPerSecPerGpu - a.tokPerSecPerGpu);
  return {
    basis: perUserBasis(runs),
    configs: new Set(runs.map((p) => p.config)).size > 1,
    e2eStat: e2e?.stat ?? null,
    rows: ordered.map((p) => ({
      label: s(p.run.label),
      config: s(p.config),
      gpus: p.gpus,
      perGpu: p.tokPerSecPerGpu,
      perUser: formatFixed(p.tokPerSecPerUser, locale, 1),
      byTpot: p.perUserFrom === 'tpot',
      latS: e2e?.values.get(p) ?? null,
      onFront: p.onFront,
    })),
    front: ordered.filter((p) => p.onFront).sort((a, b) => a.tokPerSecPerUser - b.tokPerSecPerUser).map((p) => s(p.run.label)),
    beaten: ordered.filter((p) => !p.onFront).map((p) => ({ label: s(p.run.label), by: s(beatenBy(p, runs)?.run.label ?? '') })),
    charts: charts.filter((ch) => ch.section.kind === 'pareto').map((ch) => chartView(ch, true)),
  };
}

/** The SLO section: each run against each limit, and the highest load that met them all; null without an SLO. */
function sloView(exp: Experiment, slo: Slo | null, locale: string, words: Record<string, string>) {
  if (slo === null || exp.runs.length === 0) return null;
  const highest = highestMeetingSlo(exp, slo);
  const run = highest ? exp.runs.find((r) => r.file === highest.file && r.index === highest.index) : undefined;
  const results = exp.runs.map((r) => sloOf(r, slo));
  // One number of decimals per column, chosen by its largest value.
  const decimals = slo.checks.map((_, i) => decimalsFor(Math.max(0, ...results.map((res) => res.checks[i]?.valueMs ?? 0))));
  const rows = exp.runs.map((r, j) => {
    const res = results[j] as (typeof results)[number];
    const g = res.goodput;
    return {
      label: s(r.label),
      concurrency: r.concurrency,
      rate: r.requestRate,
      cells: res.checks.map((c, i) => ({ valueMs: c.valueMs, text: formatFixed(c.valueMs, locale, decimals[i] ?? 1), met: c.met })),
      met: res.met,
      goodput: g === null ? null : { good: g.good, of: g.of, share: g.of > 0 ? g.good / g.of : null, perSecond: g.perSecond },
    };
  });
  const goodputMetrics = [...new Set(results.flatMap((res) => res.goodput?.metrics ?? []))].map((m) => words[`slo.metric.${m}`] ?? m);
  return {
    name: slo.name === null ? null : c(slo.name),
    checks: slo.checks.map((k) => ({ metric: k.metric, stat: k.stat, limitMs: k.limitMs })),
    rows,
    met: rows.filter((r) => r.met === true).length,
    unknown: rows.filter((r) => r.met === null).length,
    highest: run ? { label: s(configLabel(run.label)), concurrency: run.concurrency, rate: run.concurrency === null ? run.requestRate : null } : null,
    byLoad: exp.runs.some((r) => r.concurrency !== null || r.requestRate !== null),
    /** Whether any run has per-request figures to count goodput from, and the metrics it was counted on. */
    goodput: rows.some((r) => r.goodput !== null),
    goodputMetrics,
    itlNotCounted: slo.checks.some((k) => k.metric === 'itl'),
  };
}

/** Configurations measured more than once: median, range and, from three runs, the 95 % t-interval of the mean; labelled as the locale labels the runs. */
function repeatsView(keyed: KeyedRun[], runs: Experiment['runs']) {
  const labelOf = (k: KeyedRun | undefined) => runs.find((r) => r.file === k?.file && r.index === k?.index)?.label ?? k?.label ?? '';
  return repeatsOf(keyed).map((r) => ({
    label: s(configLabel(labelOf(r.runs[0]))),
    n: r.runs.length,
    median: r.figure.median,
    min: r.figure.min,
    max: r.figure.max,
    low: r.low,
    high: r.high,
    spread: r.spread,
  }));
}

export function reportView(input: ReportInput) {
  const { exp, derived: d, slug, locale, locales, charts } = input;
  const here = reportPath(slug, locale);
  const names = input.localeNames;
  // The summary shows the throughput chart, if there is one; no other chart stands for the experiment.
  const summary = charts.find((ch) => ch.kind === 'throughput' || ch.kind === 'sweep-throughput');
  const inSections = charts.filter((ch) => ch !== summary);
  const row = rowContext(exp, input.raw);
  const runs = d.facts.map((f) => runRow(f, input.formats, locale, row));
  const resultFiles = [...new Set([...exp.runs.map((r) => r.file), ...exp.accuracy.map((a) => a.file)])];
  const environment = environmentView(exp, input.formats, locale);
  return {
    locale,
    slug,
    /** Each quantity's decimals in this experiment: every table, chart and card shows a value alike. */
    digits: input.digits,
    languages: languages(locales, locale, names, (l) => linkFrom(here, reportPath(slug, l))),
    readmeHref: mdHref(linkFrom(here, readmePath(locale, input.defaultLocale))),
    localeNames: names,
    title: s(titleOf(exp, d, locale, input.words)),
    goal: goalOf(exp, locale) === null ? null : s(goalOf(exp, locale) as string),
    date: exp.date,
    id: c(exp.id),
    // The models of the runs; in a folder of logs alone, those the logs serve.
    models: [...new Set((exp.runs.length > 0 ? exp.runs.map((r) => r.model) : exp.serverLogs.map((l) => l.model)).filter((m): m is string => m !== null).map(modelName))].map(s),
    environment,
    /** The hardware under the title: the first GPU a capture names, else experiment.yaml's gpu/hardware fact, else its machine. */
    hardware:
      environment.gpus[0]?.text ??
      environment.facts.find((f) => f.known === 'gpu' || f.known === 'gpus' || f.known === 'hardware')?.value ??
      environment.facts.find((f) => f.known === 'machine')?.value ??
      null,
    runs,
    /** Which latency the summary, README and comparison show: every run's mean, every run's p50, or some of each (then each p50 cell says so). */
    latencyStat: latencyStatOf(runs),
    nonStreaming: d.facts.some((f) => f.run.streaming === false),
    /** Which columns of the results table any run has a figure for (the others are left out). */
    shown: filled(runs, {
      qps: (r) => r.qps,
      prompt: (r) => r.promptTps,
      decode: (r) => r.decodeTps,
      total: (r) => r.totalTps,
      latency: (r) => r.latS,
      latMean: (r) => r.latMeanS,
      latP50: (r) => r.latP50S,
      latP95: (r) => r.latP95S,
      ttft: (r) => r.ttftMeanMs,
      msPerToken: (r) => r.msPerToken,
      completed: (r) => r.completed,
      failed: (r) => r.failed,
    }),
    /** Which columns of the setup table any run has a value for (the others are left out). */
    tested: filled(runs, {
      model: (r) => r.model,
      weights: (r) => r.precision,
      dtype: (r) => r.dtype,
      kv: (r) => r.kvCacheDtype,
      tp: (r) => r.tp,
      pp: (r) => r.pp,
      gpus: (r) => r.gpus,
      vllm: (r) => r.vllmVersion,
      serverLog: (r) => r.serverLog,
    }),
    latency: { ...latencyTable(d.facts), charts: charts.filter((ch) => ch.section.kind === 'latency').map((ch) => chartView(ch, true)) },
    launches: launchesOf(d.facts),
    loadCommand: typeof exp.config?.facts['load'] === 'string' ? mdFence(exp.config.facts['load'], 'sh') : null,
    summaryChart: summary ? chartView(summary, true) : null,
    // The summary's chart is shown once, in the summary, not again in its section.
    comparisons: d.comparisons.map((cmp, i) => comparisonView(cmp, inSections, i, true, input.formats)),
    sweeps: d.sweeps.map((sw, i) => sweepView(sw, inSections, i, true)),
    standalone: d.standalone.map((f) => s(f.run.label)),
    pareto: paretoView(d.pareto, inSections, locale),
    slo: sloView(exp, input.slo, locale, input.words),
    repeats: repeatsView(input.keyed, exp.runs),
    accuracy: {
      rows: d.accuracy.map((a) => ({
        variant: s(a.variant),
        task: s(a.task),
        metric: s(a.metric),
        value: a.value,
        correct: a.correct,
        total: a.total,
        low: a.low,
        high: a.high,
        file: c(a.file),
        decode: a.run?.outputTokenThroughput ?? null,
      })),
      charts: inSections.filter((ch) => ch.section.kind === 'accuracy').map((ch) => chartView(ch, true)),
    },
    serverLogs: logRows(exp.serverLogs),
    findings: findingRows(exp.serverLogs),
    /** How many findings of each kind the logs hold, for the summary (the section lists each). */
    findingCounts: [...exp.serverLogs.flatMap((l) => l.findings).reduce((m, f) => m.set(f.code, (m.get(f.code) ?? 0) + 1), new Map<string, number>())].map(([code, count]) => ({ code, count })),
    flags: d.flags.map((f) => ({ label: s(f.run.label), code: f.code, values: f.values })),
    conclusions: d.conclusions.map((k) => escapeConclusion(k)),
    notes: input.notes === null ? null : mdNotes(input.notes.replace(HEADLINE_MARK, '')),
    /** The notes' list items the author marked `<!-- headline -->`: the README section repeats them. */
    headlineNotes: input.notes === null ? [] : headlineNotes(input.notes),
    /** The load the runs were measured under, for the README's headline ("c=16 / r=64 / max_tokens=256"). */
    load: loadOf(exp.runs),
    /** Which charts the README's section shows (experiment.yaml `readme.charts`), null for the default. */
    readmeCharts: exp.config?.readme.charts ?? null,
    problems: input.messages.filter(shownAsProblem).map((m) => ({
      file: c(m.file),
      place: m.line !== undefined ? `:${m.line}` : m.pointer !== undefined ? ` ${mdCode(m.pointer || '/')}` : '',
      severity: m.severity,
      rule: c(m.rule),
      text: s(m.text),
    })),
    unrecognised: exp.unrecognised.map((u) => ({ file: c(u.file), reason: s(u.reason) })),
    /** How many problems the appendix lists (0: no note, no appendix section). */
    diagnostics: input.messages.filter(shownAsProblem).length + exp.unrecognised.length + unpairedLogs(exp).length,
    /** One row per source format and set of formulas: each formula is said once, with the files it applies to. */
    provenance: provenanceByFormat(runs),
    /** How each tool computes TTFT, TPOT, ITL, latency and output throughput, in words (appendix). */
    toolDefinitions: toolDefinitions(exp, input.formats, locale),
    // Only a server log no run is paired with is worth the reader's attention: a capture no run names
    // still fills the environment table (inspect and the build's messages list it).
    unpaired: unpairedLogs(exp).map(c),
    raw: resultFiles.map((f) => rawView(f, input.raw[f])),
  };
}

type Conclusion = Derived['conclusions'][number];

function escapeConclusion(k: Conclusion): Record<string, unknown> {
  switch (k.kind) {
    case 'ranking':
      return { ...k, order: k.order.map((o) => ({ ...o, label: s(o.label) })), baselineLabel: s(k.baselineLabel), best: k.order[0] ? s(k.order[0].label) : '' };
    case 'scaling': {
      // "2 GPU (TP=2) (2 GPUs)" stutters: the counts are said only when the labels do not say them.
      const says = (label: string, n: number) => new RegExp(`(^|\\D)${n}\\s*(x\\s*)?(gpus?|卡)|tp\\s*=?\\s*${n}(\\D|$)`, 'i').test(label);
      const showGpus = !(says(k.fromLabel, k.gpusFrom) && says(k.toLabel, k.gpusTo));
      const head = !showGpus ? '.plain' : k.gpusFrom === 1 ? '.fromOne' : k.gpusTo === 1 ? '.toOne' : '';
      // Against linear as the sentence prints the efficiency (whole percent): 99.6 % is linear, not short of it.
      const percent = Math.round(k.efficiency * 100);
      const tail = percent < 100 ? 'below' : percent > 100 ? 'above' : 'linear';
      return { ...k, fromLabel: s(k.fromLabel), toLabel: s(k.toLabel), head: `conclusion.scaling${head}`, tail: `conclusion.scaling.${tail}` };
    }
    case 'accuracy':
      return { ...k, task: s(k.task), best: k.best.map((b) => ({ ...b, variant: s(b.variant) })), worst: k.worst.map((b) => ({ ...b, variant: s(b.variant) })) };
    case 'accuracy-within-noise':
      return { ...k, task: s(k.task), variants: k.variants.map(s) };
    case 'accuracy-tradeoff':
      return { ...k, fastest: s(k.fastest), bestVariants: k.bestVariants.map(s) };
    case 'within-resolution':
    case 'within-spread':
      return { ...k, pairs: k.pairs.map((p) => ({ ...p, a: s(p.a), b: s(p.b) })) };
    case 'single':
    case 'repeats':
      return { ...k, label: s(k.label) };
    default:
      return { ...k };
  }
}

export type ReportView = ReturnType<typeof reportView>;

/** One report's section of the README navigation: its headline figures and first charts. */
export function readmeReport(view: ReportView, charts: ChartRef[], locale: string, locales: string[]) {
  return {
    title: view.title,
    date: view.date,
    digits: view.digits,
    latencyStat: view.latencyStat,
    latencyShown: view.shown.latency,
    id: view.id,
    href: mdHref(reportPath(view.slug, locale)),
    otherLinks: locales.filter((l) => l !== locale).map((l) => ({ name: view.localeNames[l] ?? l, href: mdHref(reportPath(view.slug, l)) })),
    models: view.models,
    gpus: view.environment.gpus.map((g) => g.text).slice(0, 1),
    runs: view.runs.filter((r) => r.decodeTps !== null).slice(0, 8),
    comparisons: view.comparisons.map((cmp) => ({ axis: cmp.axis, baseline: cmp.baseline, rows: cmp.rows.filter((r) => !r.isBaseline) })),
    sweeps: view.sweeps.map((sw) => ({ peak: sw.peak, points: sw.rows.length })),
    accuracy: view.accuracy.rows,
    conclusions: view.conclusions,
    problems: view.problems.filter((p) => p.severity === 'error').length + view.unrecognised.length,
    load: view.load,
    headlineNotes: view.headlineNotes,
    findingCounts: view.findingCounts,
    charts: (view.readmeCharts === null ? charts.slice(0, 2) : view.readmeCharts.flatMap((k) => charts.filter((ch) => ch.kind === k))).map((ch) => chartView(ch, false)),
    /** What changed since the previous point of each series the experiment continues: filled in by the README stage, which sees every experiment. */
    history: [] as unknown[],
  };
}

export type ReadmeReport = ReturnType<typeof readmeReport>;

/** README navigation: one section per report (see readmeReport), in the reports' order, and links to the tool's documentation. */
/** A format as the README's formats table lists it (what a format definition says of itself). */
export interface ReadmeFormat {
  id: string;
  name: Localized;
  yields: string;
  checkedOn: Localized;
}

export function readmeView(
  reports: ReadmeSection[],
  locale: string,
  locales: string[],
  defaultLocale: string,
  localeNames: Record<string, string>,
  docs: string[] = [],
  formats: readonly ReadmeFormat[] = [],
  /** The overview's README section (render/overview.ts), or null where nothing spans two experiments. */
  overview: Record<string, unknown> | null = null,
) {
  return {
    locale,
    overview,
    /** Every input format, by what it yields, with the versions it was checked against; and the finding codes. */
    // checkedOn is the format definitions' own Markdown, shown as written.
    formats: [...formats]
      .sort((a, b) => a.yields.localeCompare(b.yields) || a.id.localeCompare(b.id))
      .map((f) => ({ id: f.id, name: s(localized(f.name, locale)), yields: f.yields, checkedOn: localized(f.checkedOn, locale) })),
    findingCodes: [...FINDING_CODES],
    /** The documentation files the repository has (docs/benchbook.md, docs/architecture.md), by their name. */
    docs: docs.map((d) => ({ href: mdHref(d), name: d.replace(/^docs\//, '').replace(/\.md$/, '') })),
    languages: languages(locales, locale, localeNames, (l) => readmePath(l, defaultLocale)),
    reports,
  };
}

export type ReadmeView = ReturnType<typeof readmeView>;
