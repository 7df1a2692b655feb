/**
 * Ingest: the artifacts folder → the typed Model.
 *
 *   1. Scan      artifacts/ → experiment folders → files
 *   2. Parse     each file, by content, into runs, server logs, environments, accuracy (or unrecognised)
 *   3. Configure experiment.yaml, when present (title, goal, baseline, labels, pairings)
 *   4. Pair      runs with their server log and environment; list what stays unpaired
 *
 * Messages name the file relative to the artifacts folder. One broken file never stops the rest.
 */
import { readFile } from 'node:fs/promises';
import { pairRuns } from './assemble/pair.js';
import { readExperimentConfig } from './assemble/experiment-config.js';
import { messages } from './messages.js';
import type { Experiment, Message, Model } from './model.js';
import { parseFile } from './parse/index.js';
import { scan, type ScannedExperiment } from './scan/scan.js';

function withPrefix(m: Message, prefix: string): Message {
  return { ...m, file: m.file ? `${prefix}/${m.file}` : prefix };
}

export async function ingestExperiment(exp: ScannedExperiment, out: Message[]): Promise<Experiment> {
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
  // 2. Parse
  for (const f of exp.files) {
    const { parsed, unrecognised } = await parseFile(f.path, f.rel, f.size);
    experiment.runs.push(...parsed.runs);
    experiment.serverLogs.push(...parsed.serverLogs);
    experiment.environments.push(...parsed.environments);
    experiment.accuracy.push(...parsed.accuracy);
    local.push(...parsed.messages);
    if (unrecognised !== null) {
      experiment.unrecognised.push({ file: f.rel, reason: unrecognised });
      if (!parsed.messages.some((m) => m.severity === 'error')) local.push(messages.unrecognised(f.rel, unrecognised));
    }
  }
  // 3. Configure
  if (exp.configFile) {
    try {
      const { config, messages: cm } = readExperimentConfig(await readFile(exp.configFile, 'utf8'), 'experiment.yaml');
      experiment.config = config;
      local.push(...cm);
    } catch (e) {
      local.push(messages.readFailed('experiment.yaml', e instanceof Error ? e.message : String(e)));
    }
  }
  // 4. Pair
  const paired = pairRuns(experiment.runs, experiment.serverLogs, experiment.environments, experiment.config);
  experiment.unpaired = paired.unpaired;
  local.push(...paired.messages);
  if (experiment.runs.length === 0 && experiment.accuracy.length === 0) local.push(messages.noResults(''));
  out.push(...local.map((m) => withPrefix(m, exp.id)));
  return experiment;
}

export async function ingest(artifactsDir: string): Promise<Model> {
  // 1. Scan
  const scanned = await scan(artifactsDir);
  const model: Model = { experiments: [], messages: [...scanned.messages] };
  for (const exp of scanned.experiments) model.experiments.push(await ingestExperiment(exp, model.messages));
  return model;
}
