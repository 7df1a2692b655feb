/**
 * The one catalog of message texts. Every problem benchbook reports is built here, with a stable
 * rule id that tests and scripts can match on (README "Messages").
 */
import type { Message, Severity } from './model.js';

export type Place = { line?: number; pointer?: string };

function msg(file: string, severity: Severity, rule: string, text: string, place: Place = {}): Message {
  const m: Message = { file, severity, rule, text };
  if (place.line !== undefined) m.line = place.line;
  if (place.pointer !== undefined) m.pointer = place.pointer;
  return m;
}

/**
 * An error's reason for a message: its first line, then each `cause`'s in turn ("in render: chart
 * bug"), so that what a lower layer said is never lost. Stack frames are left out.
 */
export function reasonOf(error: unknown): string {
  const parts: string[] = [];
  const seen = new Set<unknown>();
  for (let e: unknown = error; e !== undefined && e !== null && !seen.has(e) && parts.length < 5; e = e instanceof Error ? e.cause : undefined) {
    seen.add(e);
    const text = e instanceof Error ? e.message : String(e);
    parts.push(text.split('\n')[0] ?? '');
  }
  return parts.join(': ');
}

/** An error saying which stage `cause` happened in, for `reasonOf`: "in render: …". */
export function inStage(stage: string, cause: unknown): Error {
  return new Error(`in ${stage}`, { cause });
}

/** Runs `work`, wrapping what it throws with the stage's name (see inStage). */
export async function staged<T>(stage: string, work: () => T | Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    throw inStage(stage, e);
  }
}

export const messages = {
  emptyFile: (file: string) => msg(file, 'error', 'empty-file', 'file is empty; expected benchmark output'),
  binaryFile: (file: string) =>
    msg(file, 'error', 'binary-file', 'file holds binary data (NUL bytes or invalid UTF-8); expected text or JSON'),
  utf16: (file: string) => msg(file, 'warning', 'utf16-text', 'file is UTF-16 text; read it as such (save as UTF-8 to silence this)'),
  tooLarge: (file: string, bytes: number, limit: number) =>
    msg(file, 'error', 'too-large', `file is ${bytes} bytes, over the ${limit}-byte limit for this kind of file`),
  readFailed: (file: string, reason: string) => msg(file, 'error', 'read-failed', `could not read file: ${reason}`),
  jsonSyntax: (file: string, detail: string, line?: number) =>
    msg(file, 'error', 'json-syntax', `not valid JSON: ${detail}`, line === undefined ? {} : { line }),
  jsonDuplicateKey: (file: string, key: string, line: number) =>
    msg(file, 'warning', 'json-duplicate-key', `key "${key}" appears more than once; the last value is used`, { line }),
  wrongType: (file: string, pointer: string, expected: string, got: string) =>
    msg(file, 'error', 'wrong-type', `expected ${expected} at ${pointer || '/'}, got ${got}`, { pointer }),
  notFinite: (file: string, pointer: string, got: string) =>
    msg(file, 'error', 'not-finite', `expected a finite number at ${pointer}, got ${got}`, { pointer }),
  negative: (file: string, pointer: string, value: number) =>
    msg(file, 'error', 'negative-value', `expected a non-negative number at ${pointer}, got ${value}`, { pointer }),
  zeroRequests: (file: string, place: Place) =>
    msg(file, 'warning', 'zero-requests', 'run completed no requests; its throughput figures are meaningless', place),
  derivedMismatch: (file: string, pointer: string, stated: number, recomputed: number) =>
    msg(
      file,
      'warning',
      'derived-mismatch',
      `stated ${stated} disagrees with ${recomputed} recomputed from the raw fields; the recomputed figure is used`,
      { pointer },
    ),
  truncatedBlock: (file: string, line: number, what: string) =>
    msg(file, 'warning', 'truncated-block', `${what} ends before its closing line; the figures read so far are kept`, { line }),
  badNumber: (file: string, line: number, key: string, raw: string) =>
    msg(file, 'warning', 'bad-number', `"${key}" has "${raw}" where a number was expected; left empty`, { line }),
  /** Fields of a result a format does not know (a newer version of its tool): read around, named once. */
  unknownFields: (file: string, place: Place, keys: string[]) =>
    msg(file, 'warning', 'unknown-fields', `fields not read (a newer version of the tool?): ${keys.slice(0, 12).join(', ')}${keys.length > 12 ? `, … (${keys.length} in all)` : ''}`, place),
  unreadLine: (file: string, line: number, what: string, expected: string) =>
    msg(file, 'warning', 'unread-line', `${what} could not be read; expected ${expected}`, { line }),
  truncatedLine: (file: string, line: number) =>
    msg(file, 'warning', 'truncated-line', 'the file ends in the middle of a line (cut while being written or copied?); the last line was read as it is', { line }),
  unrecognised: (file: string, reason: string) => msg(file, 'warning', 'unrecognised', reason),
  sweepWarmup: (file: string, pointer: string) => msg(file, 'info', 'sweep-warmup', 'a sweep\'s warm-up run (run_number −1): not a measurement, left out', { pointer }),
  sweepFailure: (file: string, what: string) => msg(file, 'error', 'sweep-run-failed', `a sweep run failed and has no result: ${what}`, { pointer: '/error' }),
  duplicateRun: (file: string, runs: number, kept: readonly string[]) =>
    msg(file, 'info', 'duplicate-run', `${runs === 1 ? 'its run is' : `its ${runs} runs are`} the same as in ${kept.slice(0, 4).join(', ')}${kept.length > 4 ? `, … (${kept.length} files)` : ''} (every figure alike): read once, from there`),
  partAlone: (file: string, holds: string, runFile: string, found: number) =>
    msg(file, 'warning', 'part-alone', found === 0
      ? `holds the ${holds} of a run whose ${runFile} is not in this folder: not shown`
      : `holds the ${holds} of one run, but this folder has ${found} runs read from files like ${runFile}: joined to none`),
  /** No browser for the PDFs: everything else was built (one warning, counted with the others). */
  noBrowser: (hint: string) => msg('', 'warning', 'no-browser', hint),
  unitAssumed: (file: string, pointer: string, keys: readonly string[], unit: string) =>
    msg(file, 'warning', 'unit-assumed', `${keys.join(', ')} carry no unit; read as ${unit}`, { pointer }),
  unwrapped: (file: string, what: readonly string[]) => msg(file, 'info', 'unwrapped', `read without what was wrapped around the output: ${what.join('; ')}`),
  badJsonl: (file: string, line: number, detail: string) =>
    msg(file, 'error', 'jsonl-record', `record is not usable: ${detail}`, { line }),
  logAssumedBlockSize: (file: string, line: number) =>
    msg(
      file,
      'info',
      'assumed-block-size',
      'the log gives GPU blocks but no block size; KV-cache tokens assume vLLM\'s default block size of 16',
      { line },
    ),
  notExperimentDir: (dir: string) =>
    msg(
      dir,
      'warning',
      'not-an-experiment',
      'folder name does not end in _YYYYMMDD and is not a YYYY-MM-DD date; expected <experiment>_<YYYYMMDD>',
    ),
  badDate: (dir: string, date: string) =>
    msg(dir, 'warning', 'bad-date', `folder date ${date} is not a real calendar date; expected YYYYMMDD`),
  strayFile: (file: string) =>
    msg(file, 'warning', 'outside-experiment', 'file lies directly in the artifacts folder; put it in an <experiment>_<YYYYMMDD>/ folder'),
  symlinkOutside: (file: string, target: string) =>
    msg(file, 'error', 'symlink-outside', `symbolic link points outside the artifacts folder (${target}); not followed`),
  /** A folder of server logs or captures alone is worth a report (info); one of nothing readable is a warning. */
  noResults: (dir: string, hasOther = false) =>
    msg(dir, hasOther ? 'info' : 'warning', 'no-results', hasOther ? 'experiment has no benchmark result, only server logs or hardware captures' : 'experiment has no benchmark result a parser recognised'),
  unpaired: (file: string, what: string) => msg(file, 'info', 'unpaired', `${what} is not paired with any run`),
  ambiguousPair: (file: string, candidates: string[]) =>
    msg(file, 'warning', 'ambiguous-pair', `several files could pair with this run (${candidates.join(', ')}); none chosen`),
  modelMismatch: (file: string, log: string, runModel: string, logModel: string) =>
    msg(file, 'warning', 'model-mismatch', `names model ${runModel} but ${log} serves ${logModel}: not paired (name the log in experiment.yaml's runs.<file>.serverLog if they belong together)`),
  configError: (file: string, pointer: string, text: string) => msg(file, 'error', 'experiment-yaml', text, { pointer }),
  configUnknownKey: (file: string, pointer: string, key: string) =>
    msg(file, 'warning', 'experiment-yaml-unknown-key', `unknown key "${key}" ignored`, { pointer }),
  configMissingFile: (file: string, pointer: string, ref: string) =>
    msg(file, 'warning', 'experiment-yaml-missing-file', `names "${ref}", which is not a recognised file of this experiment`, { pointer }),
  parserCrashed: (file: string, parser: string, reason: string) =>
    msg(file, 'error', 'parser-failed', `the ${parser} parser could not read this file: ${reason}`),
  renderFailed: (experiment: string, error: unknown) =>
    msg(experiment, 'error', 'render-failed', `this experiment's report could not be made (the others were): ${reasonOf(error)}`),
  configSyntax: (file: string, detail: string) => msg(file, 'error', 'config', `not valid JSON: ${detail}; defaults used`),
  configInvalid: (file: string, pointer: string, detail: string) => msg(file, 'error', 'config', `${detail}; defaults used`, { pointer }),
  schema: (file: string, pointer: string, detail: string) => msg(file, 'error', 'schema', `${detail} at ${pointer || '/'}`, { pointer }),
} as const;
