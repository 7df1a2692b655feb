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
import type { Environment } from '../model.js';
import { benchOpenai } from './bench-openai.js';
import { benchbookAccuracy, benchbookRuns, claimsQuestions, parseQuestions } from './benchbook.js';
import { mergeEnvironments } from './environment.js';
import { evalscopeEvalTable } from './evalscope-eval.js';
import { evalscopePerfJson, evalscopePerfText } from './evalscope-perf.js';
import { duplicateKeys, isObject, parseJson, type Json } from './json.js';
import { lmEvalJson, lmEvalTable } from './lm-eval.js';
import { mxSmi } from './mx-smi.js';
import { numactl } from './numactl.js';
import { nvidiaSmi } from './nvidia-smi.js';
import { nvidiaSmiList } from './nvidia-smi-list.js';
import { nvidiaSmiQuery } from './nvidia-smi-query.js';
import { decode } from './text.js';
import { mxSmiTopo, nvidiaSmiTopo } from './topology.js';
import { emptyParsed, type JsonParser, type Parsed, type TextParser } from './types.js';
import { claimsVllmBench, parseVllmBenchObject, vllmBenchJson } from './vllm-bench-json.js';
import { vllmBenchText } from './vllm-bench-text.js';
import { parseVllmLogBytes, readVllmLogFileWithRest, vllmLog, VLLM_LOG_MARKERS, type LogWithRest } from './vllm-log.js';
import { vllmThroughputText } from './vllm-throughput-text.js';

export const JSON_PARSERS: readonly JsonParser[] = [
  benchOpenai,
  vllmBenchJson,
  evalscopePerfJson,
  lmEvalJson,
  benchbookRuns,
  benchbookAccuracy,
];

export const TEXT_PARSERS: readonly TextParser[] = [
  vllmBenchText,
  vllmThroughputText,
  evalscopePerfText,
  lmEvalTable,
  evalscopeEvalTable,
  nvidiaSmi,
  nvidiaSmiList,
  nvidiaSmiQuery,
  nvidiaSmiTopo,
  mxSmi,
  mxSmiTopo,
  numactl,
  vllmLog,
];

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

/** Several vllm bench results in one file (a JSON array, or --append-result JSON Lines). */
function manyVllmBench(values: Json[], file: string): FileResult | null {
  if (values.length === 0 || !values.every(claimsVllmBench)) return null;
  const out = emptyParsed();
  out.formats.push('vllm-bench-json');
  values.forEach((v, i) => isObject(v) && parseVllmBenchObject(v, file, i, `/${i}`, out));
  return { parsed: out, unrecognised: null };
}

function runJson(value: Json, file: string): FileResult {
  if (Array.isArray(value)) {
    const many = manyVllmBench(value, file);
    if (many) return many;
    const out = emptyParsed();
    out.messages.push(messages.wrongType(file, '', 'a JSON object', 'an array'));
    return { parsed: out, unrecognised: 'JSON array where a result object was expected' };
  }
  const parser = JSON_PARSERS.find((p) => p.claims(value));
  if (!parser) return { parsed: emptyParsed(), unrecognised: `JSON of no known shape (${keysOf(value)})` };
  return { parsed: parser.parse(value, file), unrecognised: null };
}

/** JSON Lines: every non-empty line a JSON value. Null when the text is not that. */
function readJsonLines(text: string): { value: Json; line: number }[] | null {
  const records: { value: Json; line: number }[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const l = (lines[i] ?? '').trim();
    if (l === '') continue;
    if (!l.startsWith('{')) return null;
    try {
      records.push({ value: JSON.parse(l) as Json, line: i + 1 });
    } catch {
      return records.length > 0 ? [...records, { value: null, line: i + 1 }] : null;
    }
  }
  return records.length > 1 ? records : null;
}

function parseJsonLines(records: { value: Json; line: number }[], file: string): FileResult {
  const broken = records.filter((r) => r.value === null);
  const good = records.filter((r) => r.value !== null);
  const values = good.map((r) => r.value);
  const result = claimsQuestions(values) ? { parsed: parseQuestions(good, file), unrecognised: null } : manyVllmBench(values, file);
  if (!result) return { parsed: emptyParsed(), unrecognised: `JSON Lines of no known shape (${keysOf(values[0] ?? null)})` };
  for (const b of broken) result.parsed.messages.push(messages.badJsonl(file, b.line, 'not valid JSON'));
  return result;
}

/** Texts above this size whose start looks like a vLLM log take the log path (parseContent, logResult). */
const LOG_PATH_MIN = 256 << 10;

/**
 * Runs every text parser that claims the text. `log`, when given, is the vLLM log parser's result
 * for the whole file and `text` is then the rest of it (LogWithRest): what the others read.
 */
function runText(text: string, file: string, log: Parsed | null = null): FileResult {
  const out = emptyParsed();
  const envs: Environment[] = [];
  for (const parser of TEXT_PARSERS) {
    if (parser === vllmLog && log !== null) {
      out.formats.push(...log.formats);
      out.serverLogs.push(...log.serverLogs);
      out.messages.push(...log.messages);
      continue;
    }
    if (!parser.claims(text)) continue;
    let p: Parsed;
    try {
      p = parser.parse(text, file);
    } catch (e) {
      // One parser's bug never loses what the others read.
      out.messages.push(messages.parserCrashed(file, parser.format, e instanceof Error ? e.message : String(e)));
      continue;
    }
    out.formats.push(...p.formats);
    out.runs.push(...p.runs.map((r) => ({ ...r, index: r.index + out.runs.length })));
    out.serverLogs.push(...p.serverLogs);
    envs.push(...p.environments);
    out.accuracy.push(...p.accuracy);
    out.messages.push(...p.messages);
  }
  const env = mergeEnvironments(envs);
  if (env) out.environments.push(env);
  const found = out.runs.length + out.serverLogs.length + out.environments.length + out.accuracy.length;
  return { parsed: out, unrecognised: found > 0 ? null : 'text of no known format (no result block, log, capture or table found)' };
}

/** A log's result: the log parser's, and the other text parsers' over the rest of it. */
function logResult({ parsed, rest }: LogWithRest, file: string): FileResult {
  const result = runText(rest, file, parsed);
  if (result.unrecognised !== null) result.unrecognised = 'text file with no vLLM engine in it';
  return result;
}

/** Whether a file starting with `head` (decoded) takes the log path: a vLLM log, not JSON. */
function looksLikeLog(head: ReturnType<typeof decode>, file: string): boolean {
  if (!head.ok || head.encoding !== 'utf-8') return false;
  const lead = head.text.trimStart()[0];
  return lead !== '{' && lead !== '[' && !/\.json$/i.test(file) && VLLM_LOG_MARKERS.test(head.text);
}

/** Parses an in-memory file: the pure core of the parse stage. */
export function parseContent(bytes: Uint8Array, file: string): FileResult {
  if (bytes.length > LOG_PATH_MIN && looksLikeLog(decode(bytes.subarray(0, LOG_PATH_MIN)), file)) {
    return logResult(parseVllmLogBytes(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), file), file);
  }
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
  try {
    if (size > TEXT_LIMIT) {
      // Only a server log may be this large; it is streamed: memory holds a chunk, the engines'
      // state and the rest of the log.
      if (looksLikeLog(decode(await readHead(path, LOG_PATH_MIN)), file)) return logResult(await readVllmLogFileWithRest(path, file), file);
      const out = emptyParsed();
      out.messages.push(messages.tooLarge(file, size, TEXT_LIMIT));
      return { parsed: out, unrecognised: 'too large for anything but a vLLM log, and not one' };
    }
    return parseContent(await readFile(path), file);
  } catch (e) {
    const out = emptyParsed();
    const reason = e instanceof Error ? e.message : String(e);
    out.messages.push(messages.parserCrashed(file, 'benchbook', reason));
    return { parsed: out, unrecognised: `could not be parsed: ${reason}` };
  }
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
