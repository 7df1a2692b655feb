/** Command line: parses arguments, runs a command, prints, and chooses the exit code. */
import { existsSync, watch as fsWatch, type FSWatcher } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import type { PdfMode } from '../build.js';
import { workerHeapMb } from '../pipeline/pool.js';
import { STAGE_LABELS, type ProgressFn } from '../pipeline/stages.js';

export interface Io {
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown };
}

/** Each command's usage line and what its arguments mean. */
const COMMANDS = {
  inspect: {
    usage: 'benchbook inspect [DIR | EXPERIMENT | FILE] [--json] [--strict]',
    help: `  read every experiment under DIR (default ./artifacts), one EXPERIMENT folder (<name>_<YYYYMMDD>),
  or one FILE on its own, and print what was found
  --json    print the model as JSON (the stable interface documented in docs/benchbook.md)
  --strict  exit 1 when any error message was produced`,
    flags: ['--json', '--strict'],
  },
  build: {
    usage: 'benchbook build [ROOT] [--strict] [--pdf | --no-pdf] [--no-cache]',
    help: `  write README.md (+ other locales), reports/, images/ and site/ (with site/pdf/ when a browser
  is found) under ROOT (default .) from ROOT/artifacts
  --pdf       make a missing browser an error; --no-pdf: do not make PDFs
  --no-cache  render everything, ignoring and not updating ROOT/.benchbook-cache/
  --strict    exit 1 when any error message was produced`,
    flags: ['--strict', '--pdf', '--no-pdf', '--no-cache'],
  },
  watch: {
    usage: 'benchbook watch [ROOT] [--pdf | --no-pdf]',
    help: `  build, then build again on every change under ROOT/artifacts, templates/ or docs/; Ctrl-C stops
  --pdf     make a missing browser an error; --no-pdf: do not make PDFs`,
    flags: ['--pdf', '--no-pdf'],
  },
} as const;

type Command = keyof typeof COMMANDS;

const USAGE = `usage: ${Object.values(COMMANDS).map((c) => c.usage).join('\n       ')}
       benchbook --version
       benchbook <command> --help
`;

function commandHelp(c: Command): string {
  return `usage: ${COMMANDS[c].usage}\n\n${COMMANDS[c].help}\n`;
}

/**
 * The flags and the at most one positional argument of a command; null (and the command's usage on
 * stderr) for an unknown option or an argument too many.
 */
function argsOf(c: Command, args: string[], io: Io): { flags: Set<string>; positional: string | undefined } | null {
  const flags = new Set(args.filter((a) => a.startsWith('-')));
  const positional = args.filter((a) => !a.startsWith('-'));
  const allowed: readonly string[] = COMMANDS[c].flags;
  const bad = [...flags].find((f) => !allowed.includes(f));
  if (bad !== undefined) {
    io.stderr.write(`benchbook ${c}: unknown option ${bad}\n${commandHelp(c)}`);
    return null;
  }
  if (positional.length > 1) {
    io.stderr.write(`benchbook ${c}: unexpected argument ${JSON.stringify(positional[1])}\n${commandHelp(c)}`);
    return null;
  }
  return { flags, positional: positional[0] };
}

export async function main(argv: string[], io: Io): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    io.stdout.write(USAGE);
    return command === undefined ? 2 : 0;
  }
  if (command === '--version' || command === '-V' || command === 'version') {
    io.stdout.write(`benchbook ${(await import('../pipeline/context.js')).packageVersion()}\n`);
    return 0;
  }
  if (command in COMMANDS && (rest.includes('--help') || rest.includes('-h'))) {
    io.stdout.write(commandHelp(command as Command));
    return 0;
  }
  if (command === 'build') return runBuild(rest, io);
  if (command === 'watch') {
    const stop = new AbortController();
    const onSignal = () => stop.abort();
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    try {
      return await watch(rest, io, stop.signal);
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  }
  if (command !== 'inspect') {
    io.stderr.write(`benchbook: unknown command "${command}"\n${USAGE}`);
    return 2;
  }
  const args = argsOf('inspect', rest, io);
  if (args === null) return 2;
  const { flags } = args;
  const dir = resolve(args.positional ?? 'artifacts');
  const { ingest, ingestExperiment, ingestFile, isExperimentDir } = await import('../pipeline/load.js');
  const { inspectJson, inspectText } = await import('./inspect.js');
  let model;
  try {
    // A file is read on its own, as an experiment of that file alone; an experiment folder as the one experiment.
    model = (await stat(dir)).isFile() ? await ingestFile(dir) : isExperimentDir(dir) ? await ingestExperiment(dir) : await ingest(dir);
  } catch (e) {
    io.stderr.write(`benchbook: cannot read artifacts folder ${dir}: ${e instanceof Error ? e.message : String(e)}\n`);
    return 2;
  }
  const { readConfig, configRootOf } = await import('../config.js');
  const { config, messages: configMessages } = await readConfig(configRootOf(dir));
  model.messages.unshift(...configMessages);
  const across = { slo: config.slo, threshold: config.regressionThreshold };
  io.stdout.write(flags.has('--json') ? inspectJson(model, across) : inspectText(model, across));
  const errors = model.messages.some((m) => m.severity === 'error');
  return flags.has('--strict') && errors ? 1 : 0;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function summarise(messages: { severity: string }[]): string {
  const errors = messages.filter((m) => m.severity === 'error').length;
  const warnings = messages.filter((m) => m.severity === 'warning').length;
  return `${plural(errors, 'error')}, ${plural(warnings, 'warning')}`;
}

interface BuildArgs {
  root: string;
  mode: PdfMode;
  strict: boolean;
  cache: boolean;
}

function parseBuildArgs(args: string[], io: Io, command: 'build' | 'watch'): BuildArgs | null {
  const parsed = argsOf(command, args, io);
  if (parsed === null) return null;
  const { flags } = parsed;
  return {
    root: resolve(parsed.positional ?? '.'),
    mode: flags.has('--pdf') ? 'require' : flags.has('--no-pdf') ? 'skip' : 'auto',
    strict: flags.has('--strict'),
    cache: !flags.has('--no-cache'),
  };
}

/** One progress line, rewritten in place, on a terminal only (never in CI or a pipe). */
function progressLine(io: Io, enabled: boolean): { onProgress?: ProgressFn; clear: () => void } {
  if (!enabled) return { clear: () => {} };
  let last = '';
  let shownAt = 0;
  return {
    onProgress(stage, done, total) {
      const now = performance.now();
      const line = `benchbook: ${STAGE_LABELS[stage]} ${done}/${total}`;
      if (line === last || (done !== 0 && done !== total && now - shownAt < 100)) return;
      last = line;
      shownAt = now;
      io.stderr.write(`\r\u001b[2K${line}`);
    },
    clear: () => {
      if (last) io.stderr.write('\r\u001b[2K');
      last = '';
    },
  };
}

async function buildOnce(a: BuildArgs, io: Io, showProgress: boolean): Promise<number> {
  const t0 = performance.now();
  const progress = progressLine(io, showProgress);
  const { build } = await import('../build.js');
  let result;
  try {
    result = await build(a.root, { pdf: a.mode, cache: a.cache, ...(progress.onProgress ? { onProgress: progress.onProgress } : {}) });
  } catch (e) {
    progress.clear();
    io.stderr.write(`benchbook: build failed: ${e instanceof Error ? e.message : String(e)}\n`);
    return 2;
  }
  progress.clear();
  const { written, pdf, stats } = result;
  for (const m of result.messages.filter((x) => x.severity !== 'info')) {
    const where = `${m.file}${m.line !== undefined ? `:${m.line}` : ''}${m.pointer !== undefined ? ` ${m.pointer || '/'}` : ''}`;
    io.stderr.write(`${m.severity}${where ? ` ${where}` : ''} [${m.rule}] ${m.text}\n`);
  }
  const ms = Math.round(performance.now() - t0);
  const what = result.noop ? 'nothing changed' : `${stats.rendered} rendered, ${stats.experiments - stats.rendered} from cache`;
  io.stdout.write(
    `benchbook: ${plural(stats.experiments, 'experiment')} (${what}); ${plural(result.files, 'file')}: ${written.written.length} written, ${written.unchanged.length} unchanged, ${written.removed.length} removed; ${summarise(result.messages)}; ${ms} ms\n`,
  );
  if (stats.workersLost > 0) {
    io.stdout.write(`benchbook: ${plural(stats.workersLost, 'render worker')} ran out of memory (BENCHBOOK_WORKER_HEAP_MB, ${workerHeapMb()} MiB); what they were making was made in the main thread\n`);
  }
  if (pdf.made > 0) {
    const each = pdf.msPerPdf.reduce((x, y) => x + y, 0) / pdf.msPerPdf.length;
    io.stdout.write(`benchbook: ${plural(pdf.made, 'PDF')} made with ${pdf.browser} (${pdf.count - pdf.made} unchanged): browser start ${Math.round(pdf.launchMs)} ms, ${Math.round(each)} ms a PDF\n`);
  }
  const errors = result.messages.some((m) => m.severity === 'error');
  return a.strict && errors ? 1 : 0;
}

function interactive(io: Io): boolean {
  const tty = (io.stderr as { isTTY?: boolean }).isTTY === true;
  return tty && !process.env['CI'];
}

async function runBuild(args: string[], io: Io): Promise<number> {
  const a = parseBuildArgs(args, io, 'build');
  if (a === null) return 2;
  return buildOnce(a, io, interactive(io));
}

/**
 * Builds, then again whenever something under artifacts/, templates/, docs/ or the config changes
 * (changes are gathered for `debounceMs`; one arriving during a build queues one more). Stops on
 * `signal` (SIGINT/SIGTERM from the command line).
 */
export async function watch(args: string[], io: Io, signal: AbortSignal, debounceMs = 300): Promise<number> {
  const a = parseBuildArgs(args, io, 'watch');
  if (a === null) return 2;
  const show = interactive(io);
  await buildOnce(a, io, show);
  if (signal.aborted) return 0;
  const watched = ['artifacts', 'templates', 'docs'].map((d) => join(a.root, d)).filter((d) => existsSync(d));
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<unknown> | null = null;
  let again = false;
  const trigger = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      if (running) {
        again = true;
        return;
      }
      const go = async (): Promise<void> => {
        io.stdout.write('benchbook: change seen, building\n');
        await buildOnce(a, io, show);
        if (again && !signal.aborted) {
          again = false;
          await go();
        }
      };
      running = go().finally(() => {
        running = null;
      });
    }, debounceMs);
  };
  const watchers: FSWatcher[] = watched.map((d) => fsWatch(d, { recursive: true }, trigger));
  const config = join(a.root, 'benchbook.config.json');
  watchers.push(fsWatch(a.root, (_event, name) => name === 'benchbook.config.json' && trigger()));
  io.stdout.write(`benchbook: watching ${[...watched.map((d) => relative(a.root, d) + '/'), relative(a.root, config)].join(', ')}; Ctrl-C stops\n`);
  await new Promise<void>((done) => signal.addEventListener('abort', () => done(), { once: true }));
  for (const w of watchers) w.close();
  if (timer) clearTimeout(timer);
  await running;
  return 0;
}
