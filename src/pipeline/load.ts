/**
 * Load: a scanned experiment → a loaded one. Every read of an experiment's files happens here:
 *
 *   1. Parse     each file, recognised by content through the format definitions, into runs,
 *                server logs, environments and accuracy (or kept as unrecognised, with the reason);
 *                parts of runs kept in files of their own join their run
 *   2. Configure experiment.yaml, when present (title, goal, baseline, labels, pairings)
 *   3. Pair      runs with their server log and environment; list what stays unpaired
 *   4. Texts     the start of each result file (raw-data section) and the author's notes
 *
 * Messages name the file relative to the artifacts folder. One broken file never stops the rest.
 */
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { readExperimentConfig } from '../assemble/experiment-config.js';
import { joinParts } from '../assemble/join.js';
import { dropRepeatedRuns, pairRuns } from '../assemble/pair.js';
import { messages } from '../messages.js';
import type { Experiment, FormatFacts, LoadedExperiment, Message, Model, RawText, RunPart } from '../model.js';
import { factsOf, readAndParse } from '../parse/index.js';
import { experimentDate, scan, scanExperiment, type ScanResult, type ScannedExperiment } from '../scan/scan.js';

/** How much of a result file the raw-data section shows at most. */
const RAW_LIMIT = 64 << 10;

function withPrefix(m: Message, prefix: string): Message {
  return { ...m, file: m.file ? `${prefix}/${m.file}` : prefix };
}

/** A file read whole, or '' when it cannot be. */
async function readOrEmpty(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch {
    return Buffer.alloc(0);
  }
}

/** The first `limit` bytes, cut back to the last line end (never inside a line or a character), and the line count. */
function rawOf(buf: Buffer, limit = RAW_LIMIT): RawText {
  let lines = 0;
  for (let i = buf.indexOf(10); i >= 0; i = buf.indexOf(10, i + 1)) lines++;
  if (buf.length > 0 && buf[buf.length - 1] !== 10) lines++;
  let head = buf.subarray(0, limit);
  if (buf.length > limit) {
    const end = head.lastIndexOf(10);
    if (end > 0) head = head.subarray(0, end + 1);
  }
  return { text: head.toString('utf8'), lines, bytes: buf.length, sha256: createHash('sha256').update(buf).digest('hex') };
}

export async function loadExperiment(exp: ScannedExperiment): Promise<LoadedExperiment> {
  const experiment: Experiment = {
    id: exp.id,
    date: exp.date,
    dir: exp.id,
    config: null,
    runs: [],
    serverLogs: [],
    environments: [],
    accuracy: [],
    unrecognised: [],
    unpaired: [],
    notes: Object.fromEntries(Object.keys(exp.notes).sort().map((l) => [l, `notes.${l}.md`])),
  };
  const local: Message[] = [];
  const formats: Record<string, FormatFacts> = {};
  const raw: Record<string, RawText> = {};
  const parts: RunPart[] = [];
  // 1. Parse
  for (const f of exp.files) {
    const { result, bytes } = await readAndParse(f.path, f.rel, f.size);
    const { parsed, unrecognised } = result;
    // The raw-data section shows result files: their head is taken from the bytes just parsed.
    if (bytes !== null && (parsed.runs.length > 0 || parsed.accuracy.length > 0)) raw[f.rel] = rawOf(bytes);
    experiment.runs.push(...parsed.runs);
    experiment.serverLogs.push(...parsed.serverLogs);
    experiment.environments.push(...parsed.environments);
    experiment.accuracy.push(...parsed.accuracy);
    parts.push(...(parsed.parts ?? []));
    local.push(...parsed.messages);
    for (const id of parsed.formats) formats[id] ??= factsOf(id);
    if (unrecognised !== null) {
      experiment.unrecognised.push({ file: f.rel, reason: unrecognised });
      if (!parsed.messages.some((m) => m.severity === 'error')) local.push(messages.unrecognised(f.rel, unrecognised));
    }
  }
  // Parts of runs written beside them (EvalScope's percentiles and arguments) join their run.
  local.push(...joinParts(experiment.runs, parts));
  // 2. Configure
  if (exp.configFile) {
    try {
      const { config, messages: cm } = readExperimentConfig(await readFile(exp.configFile, 'utf8'), 'experiment.yaml');
      experiment.config = config;
      local.push(...cm);
    } catch (e) {
      local.push(messages.readFailed('experiment.yaml', e instanceof Error ? e.message : String(e)));
    }
  }
  // 3. Pair (a run read twice, from a sweep's summaries, once)
  const unique = dropRepeatedRuns(experiment.runs);
  experiment.runs = unique.runs;
  local.push(...unique.messages);
  const paired = pairRuns(experiment.runs, experiment.serverLogs, experiment.environments, experiment.config);
  experiment.unpaired = paired.unpaired;
  local.push(...paired.messages);
  if (experiment.runs.length === 0 && experiment.accuracy.length === 0) local.push(messages.noResults('', experiment.serverLogs.length + experiment.environments.length > 0));
  // 4. Texts
  for (const f of new Set([...experiment.runs.map((r) => r.file), ...experiment.accuracy.map((a) => a.file)])) raw[f] ??= rawOf(await readOrEmpty(join(exp.dir, f)));
  const notes: Record<string, string> = {};
  for (const [locale, file] of Object.entries(experiment.notes)) notes[locale] = (await readOrEmpty(join(exp.dir, file))).toString('utf8');
  return {
    experiment,
    messages: local.map((m) => withPrefix(m, exp.id)),
    raw,
    notes,
    formats,
    bytesRead: exp.files.reduce((a, f) => a + f.size, 0),
  };
}

/**
 * One file read on its own, as an experiment of that file alone (named after it, undated): what
 * `benchbook inspect <file>` prints, to try a file before it joins an experiment folder.
 */
export async function ingestFile(path: string): Promise<Model> {
  const { size } = await stat(path);
  const name = basename(path);
  const loaded = await loadExperiment({ id: name, date: '', dir: dirname(path), files: [{ path, rel: name, size }], configFile: null, notes: {} });
  return { experiments: [loaded.experiment], messages: loaded.messages };
}

/** Whether `dir` is itself an experiment folder (`<name>_<YYYYMMDD>`, `YYYY-MM-DD`), not a folder of them. */
export function isExperimentDir(dir: string): boolean {
  return experimentDate(basename(dir)) !== null;
}

/** One experiment folder loaded on its own: what `benchbook inspect artifacts/<experiment>` prints. */
export async function ingestExperiment(dir: string): Promise<Model> {
  return ingestScanned(scanExperiment(dir));
}

/** Every experiment of an artifacts folder loaded: the model `benchbook inspect` prints. */
export async function ingest(artifactsDir: string): Promise<Model> {
  return ingestScanned(await scan(artifactsDir));
}

async function ingestScanned(scanned: ScanResult): Promise<Model> {
  const model: Model = { experiments: [], messages: [...scanned.messages] };
  for (const exp of scanned.experiments) {
    const loaded = await loadExperiment(exp);
    model.experiments.push(loaded.experiment);
    model.messages.push(...loaded.messages);
  }
  return model;
}
