/**
 * A tolerant reader for the Python reprs tools print: `Namespace(a=1, b='x')`, `{'k': v}` dicts and
 * vLLM's `key=value, key=value` config lines. Top-level entries become scalars; nested objects
 * (`Foo(...)`, `<Enum.X: 3>`, lists, dicts) are kept as their raw text.
 */

export type PyValue = string | number | boolean | null;

/** Splits at `sep` outside quotes and brackets. */
export function splitTopLevel(s: string, sep = ','): string[] {
  const out: string[] = [];
  let depth = 0;
  let quote: string | null = null;
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = null;
      continue;
    }
    if (c === "'" || c === '"') quote = c;
    else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === '<' && /[A-Za-z]/.test(s[i + 1] ?? '')) depth++;
    else if (c === ')' || c === ']' || c === '}' || (c === '>' && depth > 0 && s[i - 1] !== '-')) depth = Math.max(0, depth - 1);
    else if (c === sep && depth === 0) {
      out.push(s.slice(start, i));
      start = i + 1;
    }
  }
  out.push(s.slice(start));
  return out.map((p) => p.trim()).filter((p) => p !== '');
}

export function pyScalar(raw: string): PyValue {
  const s = raw.trim();
  if (s === 'None' || s === 'null') return null;
  if (s === 'True' || s === 'true') return true;
  if (s === 'False' || s === 'false') return false;
  if (/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(s)) return Number(s);
  if ((s.startsWith("'") && s.endsWith("'")) || (s.startsWith('"') && s.endsWith('"'))) {
    if (s.length >= 2) return unescape(s.slice(1, -1));
  }
  return s;
}

function unescape(s: string): string {
  return s.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : c));
}

/** Finds the balanced bracket content starting at `open` (index of the opening bracket). */
export function balanced(s: string, open: number): string | null {
  const pairs: Record<string, string> = { '(': ')', '[': ']', '{': '}' };
  const closeFor = pairs[s[open] ?? ''];
  if (!closeFor) return null;
  let depth = 0;
  let quote: string | null = null;
  for (let i = open; i < s.length; i++) {
    const c = s[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = null;
      continue;
    }
    if (c === "'" || c === '"') quote = c;
    else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') {
      depth--;
      if (depth === 0) return s.slice(open + 1, i);
    }
  }
  return null;
}

/** Reads `key=value, key=value` (Namespace bodies and vLLM config lines). */
export function readKeyValues(body: string): Record<string, PyValue> {
  const out: Record<string, PyValue> = {};
  for (const part of splitTopLevel(body)) {
    const m = /^([A-Za-z_][\w.]*)\s*=\s*([\s\S]*)$/.exec(part);
    if (m && m[1] !== undefined && m[2] !== undefined) out[m[1]] = pyScalar(m[2]);
  }
  return out;
}

/** Reads a Python dict literal's body: `'key': value, ...`. */
export function readDict(body: string): Record<string, PyValue> {
  const out: Record<string, PyValue> = {};
  for (const part of splitTopLevel(body)) {
    const m = /^(['"])(.*?)\1\s*:\s*([\s\S]*)$/.exec(part);
    if (m && m[2] !== undefined && m[3] !== undefined) out[m[2]] = pyScalar(m[3]);
  }
  return out;
}

/** Reads the first `Namespace(...)` in a line, or null when there is none or it is unbalanced. */
export function readNamespace(line: string): Record<string, PyValue> | null {
  const at = line.indexOf('Namespace(');
  if (at < 0) return null;
  const body = balanced(line, at + 'Namespace'.length);
  return body === null ? null : readKeyValues(body);
}

export function asString(v: PyValue | undefined): string | null {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : null;
}

export function asNumber(v: PyValue | undefined): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

export function asBool(v: PyValue | undefined): boolean | null {
  return typeof v === 'boolean' ? v : null;
}
