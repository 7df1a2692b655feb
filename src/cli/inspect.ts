/** `benchbook inspect`: the model as a readable summary (renderers return strings; the CLI prints). */
import { derive, type Derived } from '../assemble/derive.js';
import { paretoPoints } from '../assemble/pareto.js';
import { keyedRuns, seriesFrom, type KeyedRun, type Series } from '../assemble/series.js';
import { highestMeetingSlo, sloFor, sloOf } from '../assemble/slo.js';
import { DEFAULT_REGRESSION_THRESHOLD } from '../config.js';
import type { Experiment, Model, Run, ServerLog, Slo, Stat } from '../model.js';
import { FORMATS, toolOf } from '../parse/registry.js';

/** What the views across experiments are configured with (benchbook.config.json). */
export interface Across {
  slo: Slo | null;
  threshold: number;
}

const NO_CONFIG: Across = { slo: null, threshold: DEFAULT_REGRESSION_THRESHOLD };

/** Each experiment derived once, every run keyed (by experiment, file and index), and the series across them. */
function acrossOf(model: Model, threshold: number): { derived: Map<Experiment, Derived>; keys: Map<string, KeyedRun>; series: Series[] } {
  const derived = new Map(model.experiments.map((e) => [e, derive(e)]));
  const keyed = model.experiments.flatMap((e) => keyedRuns(e, derived.get(e)?.facts ?? [], toolOf));
  return { derived, keys: new Map(keyed.map((k) => [runRef(k.experiment, k.file, k.index), k])), series: seriesFrom(keyed, threshold) };
}

const runRef = (experiment: string, file: string, index: number): string => `${experiment}\u0000${file}\u0000${index}`;

function n(v: number | null, digits = 2): string {
  if (v === null) return '–';
  return Number.isInteger(v) ? String(v) : v.toFixed(digits);
}

function statMean(s: Stat | null): string {
  return s === null ? '–' : n(s.mean ?? s.p50);
}

function table(rows: string[][]): string[] {
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length))) ?? [];
  return rows.map((r) => '  ' + r.map((cell, c) => cell.padEnd(widths[c] ?? 0)).join('  ').trimEnd());
}

function runRows(runs: Run[]): string[] {
  const head = ['run', 'format', 'model', 'conc', 'ok/failed', 'req/s', 'in tok/s', 'out tok/s', 'lat ms', 'ttft ms', 'server log'];
  const rows = runs.map((r) => [
    r.label,
    r.format,
    r.model ?? '–',
    n(r.concurrency),
    `${n(r.completed)}/${n(r.failed)}`,
    n(r.requestThroughput, 3),
    n(r.inputTokenThroughput),
    n(r.outputTokenThroughput),
    statMean(r.latencyMs),
    statMean(r.ttftMs),
    r.serverLog ?? '–',
  ]);
  return table([head, ...rows]);
}

function logLines(l: ServerLog): string[] {
  const q = l.quantizationRequested && l.quantizationRequested !== l.quantization ? `${l.quantization} (asked ${l.quantizationRequested})` : (l.quantization ?? '–');
  const lines = [
    `  ${l.file}${l.index > 0 || l.pid !== null ? ` #${l.index}${l.pid !== null ? ` pid ${l.pid}` : ''}` : ''}: vLLM ${l.vllmVersion ?? '?'} ${l.engine ?? ''} ${l.model ?? '–'}`,
    `    quantization ${q}, dtype ${l.dtype ?? '–'}, kv-cache ${l.kvCacheDtype ?? '–'}, TP ${n(l.tensorParallelSize)} PP ${n(l.pipelineParallelSize)}, max_model_len ${n(l.maxModelLen)}, gpu_mem ${n(l.gpuMemoryUtilization)}, max_num_seqs ${n(l.maxNumSeqs)}, attention ${l.attentionBackend ?? '–'}`,
    `    load ${n(l.modelLoadGiB)} GiB in ${n(l.modelLoadS)} s, KV cache ${n(l.kvCacheTokens)} tokens, max concurrency ${n(l.maxConcurrency)}x, CUDA graphs ${n(l.cudaGraphCaptureS)} s, peak prompt ${n(l.peakPromptTps)} / generation ${n(l.peakGenerationTps)} tok/s`,
  ];
  for (const f of l.findings) lines.push(`    ! ${f.code}${f.phase ? ` (${f.phase})` : ''} line ${f.line}: ${f.text}`);
  return lines;
}

function experimentText(e: Experiment): string[] {
  const lines = [
    e.date ? `${e.id}  (${e.date})` : e.id,
    `  ${e.runs.length} runs, ${e.serverLogs.length} server logs, ${e.environments.length} environments, ${e.accuracy.length} accuracy files, ${e.unrecognised.length} unrecognised`,
  ];
  if (e.runs.length) lines.push('', ...runRows(e.runs));
  if (e.serverLogs.length) lines.push('', ...e.serverLogs.flatMap(logLines));
  for (const env of e.environments) {
    const gpus = env.gpus.length ? `${env.gpus.length}× ${[...new Set(env.gpus.map((g) => g.name))].join(', ')}` : 'no GPU list';
    lines.push(`  ${env.file}: ${env.sections.join(' + ')}, driver ${env.driverVersion ?? '–'}, CUDA ${env.cudaVersion ?? '–'}, ${gpus}${env.migDevices.length ? `, ${env.migDevices.length} MIG devices` : ''}${env.links.length ? `, ${env.links.length} links` : ''}${env.numaNodes.length ? `, ${env.numaNodes.length} NUMA nodes` : ''}`);
  }
  for (const a of e.accuracy) {
    for (const t of a.tasks) {
      const count = t.correct !== null && t.total !== null ? ` (${t.correct}/${t.total})` : '';
      lines.push(`  ${a.file}: ${t.variant ? t.variant + ' ' : ''}${t.task} ${t.metric} = ${t.value}${count}`);
    }
  }
  for (const u of e.unrecognised) lines.push(`  unrecognised ${u.file}: ${u.reason}`);
  for (const u of e.unpaired) lines.push(`  unpaired ${u}`);
  return lines;
}

export function inspectText(model: Model, across: Across = NO_CONFIG): string {
  const parts: string[] = [];
  for (const e of model.experiments) parts.push(experimentText(e).join('\n'));
  if (model.messages.length) {
    parts.push(
      'messages:\n' +
        model.messages
          .map((m) => `  ${m.severity} ${m.file}${m.line !== undefined ? `:${m.line}` : ''}${m.pointer !== undefined ? ` ${m.pointer || '/'}` : ''} [${m.rule}] ${m.text}`)
          .join('\n'),
    );
  }
  const { series } = acrossOf(model, across.threshold);
  if (series.length) {
    parts.push(
      'series (one configuration in several experiments):\n' +
        series
          .map((s) => [
            `  ${s.keyId}: ${s.points.map((p) => `${p.experiment} ${n(p.outputTokenThroughput)} tok/s`).join(' → ')}`,
            ...s.regressions.map((r) => `    ! ${r.metric} ${(r.change * 100).toFixed(1)} % from ${r.from} to ${r.to}${r.differences.length ? ` (${r.differences.map((d) => `${d.what} ${d.from ?? '–'} → ${d.to ?? '–'}`).join(', ')})` : ''}`),
          ].join('\n'))
          .join('\n'),
    );
  }
  const errors = model.messages.filter((m) => m.severity === 'error').length;
  const warnings = model.messages.filter((m) => m.severity === 'warning').length;
  parts.push(`${model.experiments.length} experiments, ${errors} errors, ${warnings} warnings`);
  return parts.join('\n\n') + '\n';
}

/** The public JSON interface (README "JSON interface"): stable names, nulls for absent values. */
export function inspectJson(model: Model, across: Across = NO_CONFIG): string {
  const { derived, keys, series } = acrossOf(model, across.threshold);
  const experiments = model.experiments.map((e) => {
    const slo = sloFor(e, across.slo);
    return {
      ...e,
      runs: e.runs.map((r) => {
        const k = keys.get(runRef(e.id, r.file, r.index));
        return { ...withTool(r), key: k?.key ?? null, keyId: k?.keyId ?? null, slo: slo ? sloOf(r, slo) : null };
      }),
      pareto: paretoPoints(derived.get(e)?.pareto ?? []),
      sloHighest: highestMeetingSlo(e, slo),
    };
  });
  return JSON.stringify({ ...model, experiments, series }, null, 2) + '\n';
}


/**
 * A run with the load generator that wrote it (`tool`, from its format, or the file where a format
 * reads several tools' output), that tool's version where the file says (`toolVersion`) and how it
 * defines each metric (`definitions`, short ids: model.ts DEFINITIONS), placed after `format`.
 */
function withTool(run: Run): Record<string, unknown> {
  const format = FORMATS.find((f) => f.id === run.format);
  const tool = toolOf(run);
  const versionKey = Object.keys(run.metadata).find((k) => /_version$/.test(k) && k !== 'python_version');
  const toolVersion = versionKey === undefined ? null : (run.metadata[versionKey] ?? null);
  // A format read for several tools (the AIPerf / genai-perf CSV) takes the definitions of the tool it found.
  const definitions = (tool !== format?.tool ? FORMATS.find((f) => f.tool === tool && f.definitions)?.definitions : undefined) ?? format?.definitions ?? {};
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(run)) {
    // Per-request figures stay out: they can be as long as the run had requests (goodput gives what they show).
    if (k === 'perRequest') continue;
    out[k] = v;
    if (k === 'format') Object.assign(out, { tool, toolVersion, definitions });
  }
  return out;
}
