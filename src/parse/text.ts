/**
 * Text helpers shared by the parsers: decoding bytes into text (UTF-8, UTF-16, binary detection) and
 * cleaning one printed line of the wrappers terminals and schedulers add around a tool's output.
 */

export type Decoded =
  | { ok: true; text: string; encoding: 'utf-8' | 'utf-16le' | 'utf-16be' }
  | { ok: false; reason: 'empty' | 'binary' };

const utf8 = new TextDecoder('utf-8', { fatal: false });

/** Decodes a file's bytes, refusing binary content. */
export function decode(bytes: Uint8Array): Decoded {
  if (bytes.length === 0) return { ok: false, reason: 'empty' };
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) {
    return { ok: true, text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'utf-16le' };
  }
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) {
    return { ok: true, text: new TextDecoder('utf-16be').decode(bytes.subarray(2)), encoding: 'utf-16be' };
  }
  const sample = bytes.subarray(0, Math.min(bytes.length, 8192));
  const nuls = countNul(sample);
  if (nuls > 0) {
    // UTF-16 without a byte-order mark: every other byte of ASCII text is NUL.
    const evenNul = countNulAt(sample, 0);
    const oddNul = countNulAt(sample, 1);
    const half = sample.length / 2;
    if (oddNul > half * 0.8 && evenNul === 0) return { ok: true, text: new TextDecoder('utf-16le').decode(bytes), encoding: 'utf-16le' };
    if (evenNul > half * 0.8 && oddNul === 0) return { ok: true, text: new TextDecoder('utf-16be').decode(bytes), encoding: 'utf-16be' };
    return { ok: false, reason: 'binary' };
  }
  let start = 0;
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) start = 3;
  const text = utf8.decode(bytes.subarray(start));
  if (text.length > 0 && replacementRatio(text.slice(0, 8192)) > 0.05) return { ok: false, reason: 'binary' };
  if (text.trim() === '') return { ok: false, reason: 'empty' };
  return { ok: true, text, encoding: 'utf-8' };
}

function countNul(b: Uint8Array): number {
  let n = 0;
  for (const x of b) if (x === 0) n++;
  return n;
}

function countNulAt(b: Uint8Array, parity: 0 | 1): number {
  let n = 0;
  for (let i = parity; i < b.length; i += 2) if (b[i] === 0) n++;
  return n;
}

function replacementRatio(s: string): number {
  let bad = 0;
  for (const ch of s) if (ch === '\ufffd') bad++;
  return bad / s.length;
}

/** Splits text into lines without their terminators (LF, CRLF or lone CR). */
export function splitLines(text: string): string[] {
  return text.split(/\r\n|\n|\r/);
}

// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][A-Z0-9]/g;

export function stripAnsi(line: string): string {
  return line.includes('\x1b') ? line.replace(ANSI, '') : line;
}

export interface CleanLine {
  text: string;
  /** Process id from a vLLM `(EngineCore_DP0 pid=143)`-style prefix. */
  pid: number | null;
  /** Process role from that prefix (`APIServer`, `EngineCore_DP0`, `VllmWorker TP0` …). */
  role: string | null;
}

const PROC_PREFIX = /^\(([A-Za-z_][\w ]*?)(?: rank=\d+)? pid=(\d+)(?:, ip=[^)]*)?\) ?/;

/**
 * Removes ANSI colours, a trailing CR and the process tags vLLM and Ray put before a line
 * (`(EngineCore_DP0 pid=143)`, nested `(RayWorkerWrapper pid=9, ip=…)`), returning the innermost
 * process they named. Wrappers around whole files (timestamps, container names …) are taken off
 * before, by unwrap.ts.
 */
export function cleanLine(raw: string): CleanLine {
  let text = stripAnsi(raw);
  if (text.endsWith('\r')) text = text.slice(0, -1);
  let pid: number | null = null;
  let role: string | null = null;
  for (let guard = 0; guard < 4; guard++) {
    const p = PROC_PREFIX.exec(text);
    if (!p) break;
    role = p[1] ?? null;
    pid = Number(p[2]);
    text = text.slice(p[0].length);
  }
  return { text, pid, role };
}

/** Parses a printed number: `1,234`, `12.5`, `-1.00`, `nan`, `inf`. Returns null for anything else. */
export function parseNumber(raw: string): number | null {
  const s = raw.trim().replace(/,(?=\d{3}\b)/g, '');
  if (s === '') return null;
  if (/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(s)) return Number(s);
  return null;
}

/** Like parseNumber, but keeps NaN/Infinity words distinguishable for callers that report them. */
export function isNanWord(raw: string): boolean {
  return /^[-+]?(nan|inf|infinity)$/i.test(raw.trim());
}

/** Cells of a printed table row drawn with `|` or `│` (tabulate, rich, psql grids); null for anything else. */
export function tableCells(line: string): string[] | null {
  const t = line.trim();
  if (!/^[|│]/.test(t)) return null;
  return t
    .replace(/^[|│]|[|│]$/g, '')
    .split(/[|│]/)
    .map((c) => c.trim());
}

/** A table's rule line (`+---+`, `┌───┐`, `╞═══╡` …). */
export function isTableRule(line: string): boolean {
  return /^[+┌├└╞╘═─┬┴┼┤┐┘╒╪╧]/.test(line.trim());
}

/** One CSV line's fields: commas outside double quotes separate, `""` is a quote. */
export function csvFields(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i] as string;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') (cur += '"'), i++;
      else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') out.push(cur), (cur = '');
    else cur += ch;
  }
  out.push(cur);
  return out.map((f) => f.trim());
}
