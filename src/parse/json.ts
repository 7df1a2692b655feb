/**
 * JSON reading with places: syntax errors carry a line, field reads carry a JSON pointer, and wrong
 * types become messages instead of exceptions.
 */
import { parse as parseTolerant, printParseErrorCode, visit, type ParseError } from 'jsonc-parser';
import { messages } from '../messages.js';
import { emptyStat, statOrNull, type Message, type Stat } from '../model.js';
import { secondsToMs } from './types.js';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v)}`;
  return typeof v === 'object' ? 'an object' : `${typeof v} ${String(v)}`;
}

export type JsonParse = { ok: true; value: Json } | { ok: false; message: Message };

/**
 * Python's `json` writes NaN, Infinity and -Infinity as bare tokens, which JSON.parse rejects. Outside
 * strings they become the string "NaN" and ±1e999 (which JSON.parse reads as ±Infinity): a field
 * reader reports either as not finite, with its pointer, unless its format gives it a meaning (a
 * request rate of Infinity: requests sent at once). Null when the text has none.
 */
export function withPythonTokens(text: string): string | null {
  let out = '';
  let last = 0;
  let found = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 34 /* " */) {
      for (i++; i < text.length && text.charCodeAt(i) !== 34; i++) if (text.charCodeAt(i) === 92 /* \\ */) i++;
      continue;
    }
    if (ch !== 78 /* N */ && ch !== 73 /* I */ && ch !== 45 /* - */) continue;
    const m = /^(NaN|-?Infinity)(?![\w$])/.exec(text.slice(i, i + 9));
    if (!m || /[\w$.]/.test(text[i - 1] ?? '')) continue;
    const token = m[1] as string;
    out += text.slice(last, i) + (token === 'NaN' ? '"NaN"' : token === 'Infinity' ? '1e999' : '-1e999');
    i += token.length - 1;
    last = i + 1;
    found = true;
  }
  return found ? out + text.slice(last) : null;
}

/** Parses JSON, turning a syntax error into a message with the line it happened on. */
export function parseJson(text: string, file: string): JsonParse {
  try {
    return { ok: true, value: JSON.parse(text) as Json };
  } catch (e) {
    const python = withPythonTokens(text);
    if (python === null) return { ok: false, message: syntaxError(text, file, e) };
    try {
      return { ok: true, value: JSON.parse(python) as Json };
    } catch (e2) {
      // Broken in another way too: say where that is (the tokens' lines are the same in both).
      return { ok: false, message: syntaxError(python, file, e2) };
    }
  }
}

function syntaxError(text: string, file: string, e: unknown): Message {
  const detail = e instanceof Error ? e.message : String(e);
  const pos = /at position (\d+)/.exec(detail);
  if (pos?.[1] !== undefined) {
    const line = lineOf(text, Number(pos[1]));
    return messages.jsonSyntax(file, detail.replace(/ in JSON at position \d+.*$/, '') + ` (line ${line})`, line);
  }
  if (/Unexpected end/.test(detail)) return messages.jsonSyntax(file, 'the file ends before the JSON is complete (truncated?)', lineOf(text, text.length));
  // V8 does not always say where; a tolerant parser finds the first error's offset.
  const errors: ParseError[] = [];
  parseTolerant(text, errors, { disallowComments: true, allowTrailingComma: false });
  const first = errors[0];
  if (first) {
    const line = lineOf(text, first.offset);
    return messages.jsonSyntax(file, `${printParseErrorCode(first.error)} (line ${line})`, line);
  }
  return messages.jsonSyntax(file, detail);
}

export function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

export function escapePointer(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Reads typed fields of one JSON object, recording a message per wrong field. */
export class Fields {
  /** The keys a parser asked for: whatever else the object holds, it did not read (see reportUnread). */
  private readonly asked = new Set<string>();

  constructor(
    readonly obj: JsonObject,
    readonly file: string,
    readonly pointer: string,
    readonly out: Message[],
  ) {}

  /**
   * Names, in one `unknown-fields` warning, the keys of the object that no accessor asked for and
   * that are not `known` (keys a parser knows and leaves alone): what a newer version added.
   */
  reportUnread(known: Iterable<string> = []): void {
    const skip = new Set(known);
    const unread = Object.keys(this.obj).filter((k) => !this.asked.has(k) && !skip.has(k));
    if (unread.length > 0) this.out.push(messages.unknownFields(this.file, { pointer: this.pointer }, unread));
  }

  at(key: string): string {
    return `${this.pointer}/${escapePointer(key)}`;
  }

  has(key: string): boolean {
    return key in this.obj;
  }

  /** A number, or null when absent/null. Non-numbers, NaN/Infinity and (optionally) negatives are reported. */
  num(key: string, opts: { nonNegative?: boolean } = {}): number | null {
    this.asked.add(key);
    const v = this.obj[key];
    if (v === undefined || v === null) return null;
    if (typeof v === 'string' && /^[-+]?(nan|inf|infinity)$/i.test(v.trim())) {
      this.out.push(messages.notFinite(this.file, this.at(key), JSON.stringify(v)));
      return null;
    }
    if (typeof v !== 'number') {
      this.out.push(messages.wrongType(this.file, this.at(key), 'a number', describe(v)));
      return null;
    }
    if (!Number.isFinite(v)) {
      this.out.push(messages.notFinite(this.file, this.at(key), String(v)));
      return null;
    }
    if (opts.nonNegative && v < 0) {
      this.out.push(messages.negative(this.file, this.at(key), v));
      return null;
    }
    return v;
  }

  count(key: string): number | null {
    return this.num(key, { nonNegative: true });
  }

  str(key: string): string | null {
    this.asked.add(key);
    const v = this.obj[key];
    if (v === undefined || v === null) return null;
    if (typeof v === 'string') return v;
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    this.out.push(messages.wrongType(this.file, this.at(key), 'a string', describe(v)));
    return null;
  }

  bool(key: string): boolean | null {
    this.asked.add(key);
    const v = this.obj[key];
    if (v === undefined || v === null) return null;
    if (typeof v === 'boolean') return v;
    this.out.push(messages.wrongType(this.file, this.at(key), 'true or false', describe(v)));
    return null;
  }

  object(key: string): Fields | null {
    this.asked.add(key);
    const v = this.obj[key];
    if (v === undefined || v === null) return null;
    if (!isObject(v)) {
      this.out.push(messages.wrongType(this.file, this.at(key), 'an object', describe(v)));
      return null;
    }
    return new Fields(v, this.file, this.at(key), this.out);
  }

  numbers(key: string): number[] | null {
    this.asked.add(key);
    const v = this.obj[key];
    if (v === undefined || v === null) return null;
    if (!Array.isArray(v)) {
      this.out.push(messages.wrongType(this.file, this.at(key), 'an array of numbers', describe(v)));
      return null;
    }
    const nums = v.filter((x): x is number => typeof x === 'number' && Number.isFinite(x));
    return nums;
  }
}

/** Keys that appear twice in one object: JSON.parse keeps the last silently; we say so. */
export function duplicateKeys(text: string, file: string): Message[] {
  const out: Message[] = [];
  const stack: Set<string>[] = [];
  visit(text, {
    onObjectBegin: () => void stack.push(new Set()),
    onObjectEnd: () => void stack.pop(),
    onObjectProperty: (key, _offset, _length, startLine) => {
      const keys = stack[stack.length - 1];
      if (!keys) return;
      if (keys.has(key)) out.push(messages.jsonDuplicateKey(file, key, startLine + 1));
      keys.add(key);
    },
  });
  return out;
}

/**
 * A Stat in milliseconds from fields in seconds: `keyOf` names the field of each statistic (null:
 * the source has none). Each figure keeps the decimal precision the source printed.
 */
export function secondsStatOf(f: Fields, keyOf: (stat: keyof Stat) => string | null): Stat | null {
  const s = emptyStat();
  for (const stat of Object.keys(s) as (keyof Stat)[]) {
    const key = keyOf(stat);
    const v = key === null ? null : f.num(key, { nonNegative: true });
    s[stat] = v === null ? null : secondsToMs(v);
  }
  return statOrNull(s);
}

/** Names, in one `unknown-fields` warning at `pointer`, the keys of `obj` that are not `known`: what a newer version of the tool added. */
export function reportUnknownKeys(obj: JsonObject, known: ReadonlySet<string>, file: string, pointer: string, into: Message[]): void {
  const unknown = Object.keys(obj).filter((k) => !known.has(k));
  if (unknown.length > 0) into.push(messages.unknownFields(file, { pointer }, unknown));
}
