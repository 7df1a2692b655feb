/**
 * Joining run parts (RunPart in model.ts) with their runs: a tool that writes one run as several
 * files in one folder (EvalScope's `parallel_8_number_100/` holds the summary, the percentiles and
 * the arguments) gives one run. A part fills what the run lacks and never overrides a figure the
 * run's own file states.
 */
import { messages } from '../messages.js';
import { dropUnstreamedTimings, emptyStat, statOrNull, type Message, type PartStat, type Run, type RunPart, type Stat } from '../model.js';

const folderOf = (file: string): string => file.slice(0, Math.max(0, file.lastIndexOf('/')));

function fillStat(into: Stat | null, from: Stat): Stat | null {
  const s: Stat = { ...(into ?? emptyStat()) };
  for (const k of Object.keys(s) as (keyof Stat)[]) if (s[k] === null && from[k] !== null) s[k] = from[k];
  return statOrNull(s);
}

function fill(run: Run, part: RunPart): void {
  if (run.model === null && part.model !== undefined) run.model = part.model;
  if (run.concurrency === null && part.concurrency !== undefined) run.concurrency = part.concurrency;
  if (run.requests === null && part.requests !== undefined) run.requests = part.requests;
  if (run.maxTokens === null && part.maxTokens !== undefined) run.maxTokens = part.maxTokens;
  if (run.requestRate === null && part.requestRate !== undefined) run.requestRate = part.requestRate;
  if (run.streaming === null && part.streaming !== undefined) run.streaming = part.streaming;
  for (const [key, stat] of Object.entries(part.stats ?? {}) as [PartStat, Stat][]) run[key] = fillStat(run[key], stat);
  for (const [k, v] of Object.entries(part.metadata ?? {})) run.metadata[k] ??= v;
}

/** Fills each part into the one run of its format in its folder; a part with none, or several, is named in a message. */
export function joinParts(runs: Run[], parts: readonly RunPart[]): Message[] {
  const out: Message[] = [];
  for (const part of parts) {
    const folder = folderOf(part.file);
    const mates = runs.filter((r) => r.format === part.completes && folderOf(r.file) === folder);
    const mate = mates[0];
    if (mates.length === 1 && mate) {
      fill(mate, part);
      // Arguments may be what says the run did not stream.
      dropUnstreamedTimings(mate);
    }
    else out.push(messages.partAlone(part.file, part.holds, part.runFile, mates.length));
  }
  return out;
}
