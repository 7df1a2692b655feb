/**
 * Parse stage: recognise a file by its content and hand it to the parsers of its format.
 *
 * JSON (and JSON Lines) goes to the one JSON parser whose `claims` accepts its shape. Text goes to
 * every text parser that claims it, since one capture may paste several outputs together (an
 * `nvidia-smi` table and `nvidia-smi -L`, a server log with a result block). Whatever no parser
 * claims falls through to the explicit fallback: an `unrecognised` entry with the reason.
 */
import { open, readFile } from 'node:fs/promises';
import { messages } from '../messages.js';
import { dropUnstreamedTimings, type Environment, type FormatFacts } from '../model.js';
import { mergeEnvironments } from './environment.js';
import { factsOfDefinition, type JsonRecord, type TextFormat, type WithRest } from './format.js';
import { duplicateKeys, isObject, parseJson, type Json } from './json.js';
import { formatById, JSON_FORMATS, TEXT_FORMATS } from './registry.js';
import { decode } from './text.js';
import { detectWrapping, unwrapText } from './unwrap.js';
import { emptyParsed, type Parsed } from './types.js';

/** What a format says of itself (provenance, metric definitions), for the model. */
export function factsOf(id: string): FormatFacts {
  return factsOfDefinition(formatById(id));
}

/** Files above this size are read only by the streaming log parser. */
export const TEXT_LIMIT = 64 << 20;

export interface FileResult {
  parsed: Parsed;
  /** Set when no parser claimed the file (or it could not be read as what it looked like). */
  unrecognised: string | null;
}

function keysOf(v: Json): string {
  if (!isObject(v)) return Array.isArray(v) ? 'an array' : typeof v;
  const keys = Object.keys(v).slice(0, 8);
  return keys.length ? `keys ${keys.map((k) => JSON.stringify(k)).join(', ')}${Object.keys(v).length > 8 ? ', …' : ''}` : 'an empty object';
}

/** A file of several records (a JSON array, or JSON Lines): the first format whose records it holds. */
function manyRecords(records: JsonRecord[], shape: 'array' | 'lines', file: string): FileResult | null {
  const values = records.map((r) => r.value);
  const format = JSON_FORMATS.find((f) => f.records?.shapes.includes(shape) && f.records.claims(values));
  return format?.records ? { parsed: format.records.parse(records, file), unrecognised: null } : null;
}

function runJson(value: Json, file: string): FileResult {
  if (Array.isArray(value)) {
    const many = manyRecords(value.map((v) => ({ value: v, line: null })), 'array', file);
    if (many) return many;
    const out = emptyParsed();
    out.messages.push(messages.wrongType(file, '', 'a JSON object', 'an array'));
    return { parsed: out, unrecognised: 'JSON array where a result object was expected' };
  }
  const format = JSON_FORMATS.find((f) => f.claims(value));
  if (!format) return { parsed: emptyParsed(), unrecognised: `JSON of no known shape (${keysOf(value)})` };
  return { parsed: format.parse(value, file), unrecognised: null };
}

/** Lines a record an author wrapped may span before the file is taken for broken JSON Lines. */
const WRAPPED_RECORD_LINES = 200;

/**
 * JSON Lines: every non-empty line a JSON value, or a record an author wrapped over the lines that
 * follow it (none of which starts a record). Null when the text is not that.
 */
function readJsonLines(text: string): { value: Json; line: number }[] | null {
  const records: { value: Json; line: number }[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const l = (lines[i] ?? '').trim();
    if (l === '') continue;
    if (!l.startsWith('{')) return null;
    let record = l;
    let parsed = parseJson(record, '');
    let end = i;
    // A wrapped record: join the following lines that do not start a record until it parses.
    while (!parsed.ok && end + 1 < lines.length && end - i < WRAPPED_RECORD_LINES && !(lines[end + 1] ?? '').trim().startsWith('{')) {
      end++;
      record += '\n' + (lines[end] ?? '');
      parsed = parseJson(record, '');
    }
    if (!parsed.ok) return records.length > 0 ? [...records, { value: null, line: i + 1 }] : null;
    records.push({ value: parsed.value, line: i + 1 });
    i = end;
  }
  return records.length > 1 ? records : null;
}

function parseJsonLines(records: { value: Json; line: number }[], file: string): FileResult {
  const broken = records.filter((r) => r.value === null);
  const good = records.filter((r) => r.value !== null);
  const result = manyRecords(good, 'lines', file);
  if (!result) return { parsed: emptyParsed(), unrecognised: `JSON Lines of no known shape (${keysOf(good[0]?.value ?? null)})` };
  for (const b of broken) result.parsed.messages.push(messages.badJsonl(file, b.line, 'not valid JSON'));
  return result;
}

/** Texts above this size whose start looks like a whole-file format's (a server log) are read by it first. */
const WHOLE_MIN = 256 << 10;

function foundAnything(p: Parsed): boolean {
  return p.runs.length + p.serverLogs.length + p.environments.length + p.accuracy.length + (p.parts?.length ?? 0) > 0;
}

/**
 * One text format's reading of a text: of the text unwrapped (unwrap.ts), or, when that gives the
 * format nothing, of the text as it is. A prefix on most lines may be the tool's own layout
 * (`GPU[0] : …` of rocm-smi), which only the format can tell by reading it.
 */
function readAs(format: TextFormat, texts: readonly string[], file: string): { parsed: Parsed; unwrapped: boolean } | null {
  let last: { parsed: Parsed; unwrapped: boolean } | null = null;
  for (const [i, text] of texts.entries()) {
    if (!format.claims(text)) continue;
    last = { parsed: format.parse(text, file), unwrapped: i === 0 && texts.length > 1 };
    if (foundAnything(last.parsed)) return last;
  }
  return last;
}

/**
 * Runs every text format that claims the text. `whole`, when given, is what a whole-file format
 * (a server log) read of the file, and `text` is then the rest of it: what the others read.
 */
function runText(raw: string, file: string, whole: { format: TextFormat; parsed: Parsed; lines: readonly number[] } | null = null): FileResult {
  const out = emptyParsed();
  const envs: Environment[] = [];
  const { text, described } = unwrapText(raw);
  const texts = described.length > 0 ? [text, raw] : [raw];
  let unwrapped = false;
  for (const format of TEXT_FORMATS) {
    let p: Parsed;
    if (format === whole?.format) p = whole.parsed;
    else {
      try {
        const read = readAs(format, texts, file);
        if (!read) continue;
        p = whole ? atFileLines(read.parsed, whole.lines) : read.parsed;
        unwrapped ||= read.unwrapped;
      } catch (e) {
        // One format's bug never loses what the others read.
        out.messages.push(messages.parserCrashed(file, format.id, e instanceof Error ? e.message : String(e)));
        continue;
      }
    }
    out.formats.push(...p.formats);
    out.runs.push(...p.runs.map((r) => ({ ...r, index: r.index + out.runs.length })));
    out.serverLogs.push(...p.serverLogs);
    envs.push(...p.environments);
    out.accuracy.push(...p.accuracy);
    out.messages.push(...p.messages);
  }
  if (unwrapped) out.messages.unshift(messages.unwrapped(file, described));
  const env = mergeEnvironments(envs);
  if (env) out.environments.push(env);
  return { parsed: out, unrecognised: foundAnything(out) ? null : 'text of no known format (no result block, log, capture or table found)' };
}

/** What a text format read of the rest of a file, its lines renumbered as the file's (`lines[i]` is the rest's line i + 1). */
function atFileLines(parsed: Parsed, lines: readonly number[]): Parsed {
  const at = (line: number): number => lines[line - 1] ?? line;
  for (const m of parsed.messages) if (m.line !== undefined) m.line = at(m.line);
  for (const r of parsed.runs) if (r.line !== null) r.line = at(r.line);
  return parsed;
}

/** A whole-file format's result: its own, and the other text formats' over the rest of the file. */
function wholeResult(format: TextFormat, { parsed, rest, lines }: WithRest, file: string): FileResult {
  const result = runText(rest, file, { format, parsed, lines });
  if (result.unrecognised !== null && format.whole) result.unrecognised = format.whole.none;
  return result;
}

/**
 * The whole-file format (a server log) a file starting with `head` (decoded) belongs to: text, not
 * JSON; with how to unwrap its lines, found from the head.
 */
function wholeFormatOf(head: ReturnType<typeof decode>, file: string): { format: TextFormat; strip: (line: string) => string } | null {
  if (!head.ok || head.encoding !== 'utf-8') return null;
  const lead = head.text.trimStart()[0];
  if (lead === '{' || lead === '[' || /\.json$/i.test(file)) return null;
  const format = TEXT_FORMATS.find((f) => f.whole?.looksLike(head.text));
  // The head's last line may be cut: it is not part of the sample.
  return format ? { format, strip: detectWrapping(head.text.split('\n').slice(0, -1)).strip } : null;
}

/** A run that did not stream has no per-token timings: what a tool printed there is not one (see Run.streaming). */
function withoutUnstreamedTimings(result: FileResult): FileResult {
  for (const run of result.parsed.runs) dropUnstreamedTimings(run);
  return result;
}

/** Parses an in-memory file: the pure core of the parse stage. */
export function parseContent(bytes: Uint8Array, file: string): FileResult {
  return withoutUnstreamedTimings(parseBytes(bytes, file));
}

function parseBytes(bytes: Uint8Array, file: string): FileResult {
  const whole = bytes.length > WHOLE_MIN ? wholeFormatOf(decode(bytes.subarray(0, WHOLE_MIN)), file) : null;
  if (whole?.format.whole) return wholeResult(whole.format, whole.format.whole.fromBytes(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), file, whole.strip), file);
  const decoded = decode(bytes);
  if (!decoded.ok) {
    const out = emptyParsed();
    out.messages.push(decoded.reason === 'empty' ? messages.emptyFile(file) : messages.binaryFile(file));
    return { parsed: out, unrecognised: decoded.reason === 'empty' ? 'empty file' : 'binary file' };
  }
  const pre = decoded.encoding === 'utf-8' ? [] : [messages.utf16(file)];
  const text = decoded.text;
  const result = parseText(text, file);
  result.parsed.messages.unshift(...pre);
  return result;
}

function parseText(text: string, file: string): FileResult {
  const lead = text.trimStart()[0];
  if (lead !== '{' && lead !== '[' && !/\.json$/i.test(file)) return runText(text, file);
  const json = parseJson(text, file);
  if (json.ok) {
    const result = runJson(json.value, file);
    if (text.length < 8 << 20) result.parsed.messages.unshift(...duplicateKeys(text, file));
    return result;
  }
  const lines = lead === '{' ? readJsonLines(text) : null;
  if (lines) return parseJsonLines(lines, file);
  // Not JSON after all? Text parsers may still find a printout (e.g. a log starting with "{").
  const asText = runText(text, file);
  if (asText.unrecognised === null) return asText;
  const out = emptyParsed();
  out.messages.push(json.message);
  return { parsed: out, unrecognised: `broken JSON: ${json.message.text}` };
}

/** Parses a file on disk; a log larger than TEXT_LIMIT is streamed. Never throws. */
export async function parseFile(path: string, file: string, size: number): Promise<FileResult> {
  return (await readAndParse(path, file, size)).result;
}

/**
 * parseFile that also hands back the bytes it read (null when the file was streamed or could not
 * be read), so that its caller need not read the file again. Never throws.
 */
export async function readAndParse(path: string, file: string, size: number): Promise<{ result: FileResult; bytes: Buffer | null }> {
  if (size > TEXT_LIMIT) return { result: await parseLarge(path, file, size), bytes: null };
  if (size > STREAM_MIN) {
    // A head that cannot be read is read in full below, which says why it cannot be.
    const streamed = await streamWhole(path, file).catch(() => null);
    if (streamed !== null) return { result: streamed, bytes: null };
  }
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (e) {
    return { result: crashed(file, e), bytes: null };
  }
  try {
    return { result: parseContent(bytes, file), bytes };
  } catch (e) {
    return { result: crashed(file, e), bytes };
  }
}

/**
 * A server log above this size is streamed even when it would fit in memory: its parsing then
 * overlaps the reading of the next chunk instead of waiting for the whole file (the stream reads a
 * chunk ahead). On the benchmark's 370 logs of 1.1 to 11 MB, the parser ran at 38–40 % of the speed
 * of reading the same bytes and scanning them for line ends, against 36–39 % when only logs above
 * 4 MiB were streamed (and 32 % on the first 100 of them, when none was).
 */
const STREAM_MIN = 512 << 10;

/**
 * A whole-file format's file (a server log) streamed, as the format says when it reads the head;
 * null when the head is no such format's. Throws when the head cannot be read; a parser's own
 * failure is its result.
 */
async function streamWhole(path: string, file: string): Promise<FileResult | null> {
  const whole = wholeFormatOf(decode(await readHead(path, WHOLE_MIN)), file);
  if (!whole?.format.whole) return null;
  try {
    return withoutUnstreamedTimings(wholeResult(whole.format, await whole.format.whole.fromFile(path, file, whole.strip), file));
  } catch (e) {
    return crashed(file, e);
  }
}

/** Only a whole-file format (a server log) may be this large; it is streamed: memory holds a chunk, the format's state and the rest of the file. */
async function parseLarge(path: string, file: string, size: number): Promise<FileResult> {
  try {
    const streamed = await streamWhole(path, file);
    if (streamed !== null) return streamed;
    const out = emptyParsed();
    out.messages.push(messages.tooLarge(file, size, TEXT_LIMIT));
    return { parsed: out, unrecognised: 'too large for anything but a vLLM log, and not one' };
  } catch (e) {
    return crashed(file, e);
  }
}

function crashed(file: string, e: unknown): FileResult {
  const out = emptyParsed();
  const reason = e instanceof Error ? e.message : String(e);
  out.messages.push(messages.parserCrashed(file, 'benchbook', reason));
  return { parsed: out, unrecognised: `could not be parsed: ${reason}` };
}

async function readHead(path: string, bytes: number): Promise<Uint8Array> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    const { bytesRead } = await fh.read(buf, 0, bytes, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}
