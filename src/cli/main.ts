/** Command line: parses arguments, runs a command, prints, and chooses the exit code. */
import { resolve } from 'node:path';
import { build } from '../build.js';
import { ingest } from '../ingest.js';
import { inspectJson, inspectText } from './inspect.js';

export interface Io {
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown };
}

const USAGE = `usage: benchbook inspect [DIR] [--json] [--strict]
       benchbook build [ROOT] [--strict] [--pdf | --no-pdf]

  inspect   read every artifact under DIR (default ./artifacts) and print what was found
  build     write README.md (+ other locales), reports/, images/ and site/ (with site/pdf/ when a
            browser is found) under ROOT (default .) from ROOT/artifacts
  --pdf     make a missing browser an error; --no-pdf: do not make PDFs
  --json    print the model as JSON (the stable interface documented in README)
  --strict  exit 1 when any error message was produced
`;

export async function main(argv: string[], io: Io): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    io.stdout.write(USAGE);
    return command === undefined ? 2 : 0;
  }
  if (command === 'build') return runBuild(rest, io);
  if (command !== 'inspect') {
    io.stderr.write(`benchbook: unknown command "${command}"\n${USAGE}`);
    return 2;
  }
  const flags = new Set(rest.filter((a) => a.startsWith('--')));
  const positional = rest.filter((a) => !a.startsWith('--'));
  for (const f of flags) {
    if (f !== '--json' && f !== '--strict') {
      io.stderr.write(`benchbook: unknown option ${f}\n${USAGE}`);
      return 2;
    }
  }
  const dir = resolve(positional[0] ?? 'artifacts');
  let model;
  try {
    model = await ingest(dir);
  } catch (e) {
    io.stderr.write(`benchbook: cannot read artifacts folder ${dir}: ${e instanceof Error ? e.message : String(e)}\n`);
    return 2;
  }
  io.stdout.write(flags.has('--json') ? inspectJson(model) : inspectText(model));
  const errors = model.messages.some((m) => m.severity === 'error');
  return flags.has('--strict') && errors ? 1 : 0;
}

function summarise(messages: { severity: string }[]): string {
  const errors = messages.filter((m) => m.severity === 'error').length;
  const warnings = messages.filter((m) => m.severity === 'warning').length;
  return `${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`;
}

async function runBuild(args: string[], io: Io): Promise<number> {
  const flags = new Set(args.filter((a) => a.startsWith('--')));
  for (const f of flags) {
    if (f !== '--strict' && f !== '--pdf' && f !== '--no-pdf') {
      io.stderr.write(`benchbook: unknown option ${f}\n${USAGE}`);
      return 2;
    }
  }
  const root = resolve(args.find((a) => !a.startsWith('--')) ?? '.');
  let result;
  try {
    result = await build(root, flags.has('--pdf') ? 'require' : flags.has('--no-pdf') ? 'skip' : 'auto');
  } catch (e) {
    io.stderr.write(`benchbook: build failed: ${e instanceof Error ? e.message : String(e)}\n`);
    return 2;
  }
  const { rendered, written, pdf } = result;
  if (pdf.note) io.stderr.write(`benchbook: ${pdf.note}\n`);
  for (const m of rendered.messages.filter((x) => x.severity !== 'info')) {
    io.stderr.write(`${m.severity} ${m.file}${m.line !== undefined ? `:${m.line}` : ''}${m.pointer !== undefined ? ` ${m.pointer || '/'}` : ''} [${m.rule}] ${m.text}\n`);
  }
  const ms = Object.values(rendered.timings).reduce((a, b) => a + b, 0);
  io.stdout.write(
    `benchbook: ${rendered.model.experiments.length} experiments, ${rendered.outputs.size + pdf.count} files (${pdf.count} PDF): ${written.written.length} written, ${written.unchanged.length} unchanged, ${written.removed.length} removed; ${summarise(rendered.messages)} (${Math.round(ms)} ms)\n`,
  );
  if (pdf.count > 0) {
    const each = pdf.msPerPdf.reduce((a, b) => a + b, 0) / pdf.msPerPdf.length;
    io.stdout.write(`benchbook: ${pdf.count} PDFs with ${pdf.browser}: browser start ${Math.round(pdf.launchMs)} ms, ${Math.round(each)} ms a PDF\n`);
  }
  const errors = rendered.messages.some((m) => m.severity === 'error');
  return flags.has('--strict') && errors ? 1 : 0;
}
