/** Command line: parses arguments, runs a command, prints, and chooses the exit code. */
import { resolve } from 'node:path';
import { ingest } from '../ingest.js';
import { inspectJson, inspectText } from './inspect.js';

export interface Io {
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown };
}

const USAGE = `usage: benchbook inspect [DIR] [--json] [--strict]

  inspect   read every artifact under DIR (default ./artifacts) and print what was found
  --json    print the model as JSON (the stable interface documented in README)
  --strict  exit 1 when any error message was produced
`;

export async function main(argv: string[], io: Io): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    io.stdout.write(USAGE);
    return command === undefined ? 2 : 0;
  }
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
