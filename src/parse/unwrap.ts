/**
 * What people wrap around a tool's printed output, taken off before any text format reads it:
 * HTML `<pre>`, Markdown fences, ANSI colours (also when the ESC byte was lost and `[0m` remains),
 * newlines flattened into `\n` escapes or into one line, a common indentation, any prefix that
 * repeats on most lines (timestamps of any shape, container and service names with `|`, pod names,
 * Slurm task ids, syslog headers …), and `# `/`> `/`// ` marks on a run of lines (output pasted as
 * comments into a script or a note).
 *
 * Repeated prefixes are found by their shape, not from a list: each line is cut into tokens (runs of
 * digits, runs of letters, whitespace, single marks); digits match any digits and whitespace any
 * whitespace, words and marks match themselves. The longest such token prefix that ends at a
 * boundary (a mark such as `|`, `]`, `)`, `>` then whitespace, `:` after a number or bracket, or
 * whitespace after a timestamp)
 * and that most lines share is taken off, and the search repeats for nested wrappers.
 *
 * What a tool prints itself is never a wrapper: a prefix stops before a log level (`INFO`,
 * `WARNING` …) and never holds a process tag (`(EngineCore_DP0 pid=12)`), which the log reader
 * reads. Lines keep their numbers: removed lines become empty lines.
 */
import { stripAnsi } from './text.js';

/** A way to unwrap one line, found from a sample of lines; `described` says what it takes off. */
export interface LineUnwrapper {
  strip(line: string): string;
  described: string[];
}

export interface Unwrapped {
  text: string;
  /** What was taken off, for a reader (empty when the text was bare). */
  described: string[];
}

/** Lines the prefix search looks at. */
const SAMPLE = 4000;
/** Tokens of a line the prefix search looks at. */
const MAX_TOKENS = 40;
/** Share of the non-empty lines a prefix must be on. */
const MOST = 0.5;
/** Nested wrappers taken off, at most. */
const ROUNDS = 4;

const LEVEL_WORDS = new Set(['INFO', 'WARNING', 'WARN', 'ERROR', 'DEBUG', 'CRITICAL', 'TRACE', 'FATAL', 'NOTICE']);
/** Marks after which whitespace ends a prefix. */
const BOUNDARY_MARKS = new Set(['|', ']', ')', '>', ':', '$', '#', '│']);
/** Marks a table row starts with. */
const TABLE_MARKS = new Set(['|', '│', '┃', '║', '+', '┌', '├', '└', '╞', '╒', '=', '-']);
const MONTHS = /^(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|mon|tue|wed|thu|fri|sat|sun|[a-z]{0,2}|utc|gmt|cst|cet|pst|est)$/i;

type Kind = 'd' | 'w' | 's' | 'p';
interface Token {
  kind: Kind;
  text: string;
}

/** Whether a prefix ends before this token at the latest: a log level, or the `pid` of a process tag. */
function endsPrefixes(t: Token): boolean {
  // LEVEL_WORDS are upper case: a word in any other case is not a level.
  return t.kind === 'w' && (t.text === 'pid' || LEVEL_WORDS.has(t.text));
}

/** A character's token kind: d (ASCII digit), w (ASCII letter or _), s (space or tab), p (any other). */
function kindAt(line: string, i: number): Kind {
  const c = line.charCodeAt(i);
  if (c >= 48 && c <= 57) return 'd';
  if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95) return 'w';
  if (c === 32 || c === 9) return 's';
  return 'p';
}

/**
 * A line's tokens (runs of digits, of letters, of whitespace; single marks, a UTF-16 unit each), up
 * to the first that ends every prefix (nothing after it is looked at).
 */
function tokensOf(line: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (out.length < MAX_TOKENS && i < line.length) {
    const kind = kindAt(line, i);
    let j = i + 1;
    if (kind !== 'p') while (j < line.length && kindAt(line, j) === kind) j++;
    const t: Token = { kind, text: line.slice(i, j) };
    out.push(t);
    if (endsPrefixes(t)) break;
    i = j;
  }
  return out;
}

function keyOf(t: Token): string {
  return t.kind === 'd' ? '\u0001' : t.kind === 's' ? '\u0002' : t.text;
}

/** Marks that separate a wrapper from the message after it (`2026-05-01 20:54:16.988 | …`, `vllm-1  | …`). */
const PIPES = new Set(['|', '│']);

/** Whether a line may be a table row: it ends in a table mark and has another (`| a | 1 |`, `+---+`). */
function rowLike(line: string): boolean {
  let end = line.length - 1;
  while (end >= 0 && (line[end] === ' ' || line[end] === '\t' || line[end] === '\r')) end--;
  if (end < 0 || !TABLE_MARKS.has(line[end] as string)) return false;
  for (let i = end - 1; i >= 0; i--) if (TABLE_MARKS.has(line[i] as string)) return true;
  return false;
}

/** The lengths (in tokens) at which a prefix of `line`'s tokens may end. */
function boundaries(tokens: readonly Token[], line: string): number[] {
  const ends: number[] = [];
  // A table row's first cell is not a wrapper.
  if (tokens[0]?.kind === 'p' && TABLE_MARKS.has(tokens[0].text)) return ends;
  let content = false;
  // Whether the tokens before i are of timestamp shape (three digit groups or more, and no word
  // longer than a month's name), kept as i moves on.
  let digits = 0;
  let wordy = false;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as Token;
    const prev = tokens[i - 1];
    if (prev?.kind === 'd') digits++;
    else if (prev?.kind === 'w' && !wordy && !MONTHS.test(prev.text)) wordy = true;
    if (endsPrefixes(t)) break;
    if (t.kind === 'd' || t.kind === 'w') content = true;
    if (t.kind !== 's' || i === 0 || !content) continue;
    const before = tokens[i - 1] as Token;
    // "key: value" is a tool's own line; a wrapper's colon follows a number or a bracket ("0: ", "bash[41]: ").
    const colonAfterWord = before.text === ':' && tokens[i - 2]?.kind !== 'd' && tokens[i - 2]?.text !== ']' && tokens[i - 2]?.text !== ')';
    if ((before.kind === 'p' && BOUNDARY_MARKS.has(before.text) && !colonAfterWord) || (!wordy && digits >= 3)) {
      ends.push(i + 1);
      // What follows a wrapper may be a table row: its first cell is content. A pipe is the
      // wrapper's own separator (log viewers print `timestamp | message`) when no table row
      // follows it: the line is no row, or another table mark opens the row after it.
      const next = tokens[i + 1];
      if (next?.kind === 'p' && TABLE_MARKS.has(next.text)) {
        const after = tokens[i + 3];
        const separator = PIPES.has(next.text) && (!rowLike(line) || (tokens[i + 2]?.kind === 's' && after?.kind === 'p' && TABLE_MARKS.has(after.text)));
        if (!separator) break;
      }
    }
  }
  return ends;
}

/** A prefix: a regex that takes it off a line, and how it looked on the first line that had it. */
interface Prefix {
  re: RegExp;
  example: string;
}

/** The width of a line's leading whitespace. */
function indentOf(line: string): number {
  return /^[ \t]*/.exec(line)?.[0].length ?? 0;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function prefixOf(tokens: readonly Token[], n: number): Prefix {
  const part = tokens.slice(0, n);
  const source = part.map((t) => (t.kind === 'd' ? '\\d+' : t.kind === 's' ? '[ \\t]+' : escapeRe(t.text))).join('');
  // The last whitespace of a prefix is the wrapper's, up to the width seen (what follows may be
  // indented), or none where a wrapper's trailing space was trimmed off an empty line.
  const last = part[part.length - 1]?.text.length ?? 1;
  return { re: new RegExp(`^${source.replace(/\[ \\t\]\+$/, `(?:[ \\t]{1,${last}}|$)`)}`), example: part.map((t) => t.text).join('') };
}

/** `pid` as a token of its own (not within a longer word). */
const PID_WORD = /(?<![A-Za-z_])pid(?![A-Za-z_])/;

/** The longest prefix (at a boundary) most non-empty lines share, or null. */
function commonPrefix(lines: readonly string[]): Prefix | null {
  const counts = new Map<string, { n: number; prefix: Prefix; len: number }>();
  // Starts of lines up to a process tag's `pid` that hold no boundary: a line's tokens end at that
  // word, so another line with the same start holds none either (most of a bare vLLM log).
  const bare = new Set<string>();
  let total = 0;
  for (const line of lines) {
    if (line.trim() === '') continue;
    total++;
    const pid = PID_WORD.exec(line);
    const head = pid ? line.slice(0, pid.index + 3) : null;
    if (head !== null && bare.has(head)) continue;
    const tokens = tokensOf(line);
    const ends = boundaries(tokens, line);
    if (head !== null && ends.length === 0) bare.add(head);
    // Each boundary's key extends the one before (boundaries come in order).
    let key = '';
    let keyed = 0;
    for (const n of ends) {
      for (; keyed < n; keyed++) key += (keyed === 0 ? '' : '\u0000') + keyOf(tokens[keyed] as Token);
      const seen = counts.get(key);
      if (seen) seen.n++;
      else counts.set(key, { n: 1, prefix: prefixOf(tokens, n), len: n });
    }
  }
  if (total < 3) return null;
  let best: { n: number; prefix: Prefix; len: number } | null = null;
  for (const c of counts.values()) {
    if (c.n < Math.max(3, total * MOST)) continue;
    if (!best || c.len > best.len || (c.len === best.len && c.n > best.n)) best = c;
  }
  return best?.prefix ?? null;
}

/** Comment and quote marks output is pasted under. */
const COMMENT_MARKS: readonly { mark: string; re: RegExp }[] = [
  { mark: '#', re: /^#(?: |$)/ },
  { mark: '>', re: /^>(?: |$)/ },
  { mark: '//', re: /^\/\/(?: |$)/ },
];
/** Marked lines a run needs to be taken for pasted output (a lone `# note` stays as it is). */
const COMMENT_RUN = 3;

/**
 * Takes a comment mark off every run of lines that carry it (blank lines do not end a run), where a
 * run has at least COMMENT_RUN marked lines: output pasted as comments, in the middle of a script
 * or of a whole file alike.
 */
function uncommentRuns(lines: string[], described: string[]): string[] {
  let out = lines;
  for (const { mark, re } of COMMENT_MARKS) {
    if (!startsAtLeast(out, mark, COMMENT_RUN)) continue;
    let taken = false;
    const next = [...out];
    for (let i = 0; i < next.length; ) {
      let j = i;
      let marked = 0;
      while (j < next.length && (re.test(next[j] ?? '') || (next[j] ?? '').trim() === '')) {
        if (re.test(next[j] ?? '')) marked++;
        j++;
      }
      if (marked >= COMMENT_RUN) {
        for (let k = i; k < j; k++) next[k] = (next[k] ?? '').replace(re, '');
        taken = true;
      }
      i = Math.max(j, i + 1);
    }
    if (taken) {
      described.push(`comment mark "${mark}"`);
      out = next;
    }
  }
  return out;
}

/** Whether `n` of `lines` start with `mark` (a blank-line rest of a server log has few or none). */
function startsAtLeast(lines: readonly string[], mark: string, n: number): boolean {
  let seen = 0;
  for (const l of lines) if (l.startsWith(mark) && ++seen >= n) return true;
  return false;
}

/** Whitespace every non-empty line starts with. */
function commonIndent(lines: readonly string[]): number {
  let min = Infinity;
  for (const l of lines) {
    if (l.trim() === '') continue;
    const n = indentOf(l);
    if (n < min) min = n;
    if (min === 0) return 0;
  }
  return Number.isFinite(min) ? min : 0;
}

/**
 * How to unwrap the lines of a text, from a sample of them: nested repeated prefixes, then a common
 * indentation, in the order they were found.
 */
export function detectWrapping(sample: readonly string[]): LineUnwrapper {
  const steps: ((l: string) => string)[] = [];
  const described: string[] = [];
  let lines = sample.slice(0, SAMPLE);
  for (let round = 0; round < ROUNDS; round++) {
    const p = commonPrefix(lines);
    const indent = p ? 0 : commonIndent(lines);
    let step: ((l: string) => string) | null = null;
    if (p) {
      step = (l) => l.replace(p.re, '');
      described.push(`prefix "${p.example}"`);
    } else if (indent > 0) {
      step = (l) => l.slice(Math.min(indent, indentOf(l)));
      described.push(`indentation of ${indent}`);
    }
    if (!step) break;
    steps.push(step);
    lines = lines.map(step);
  }
  return { strip: steps.length === 0 ? (l) => l : (l) => steps.reduce((acc, s) => s(acc), l), described };
}

/** ANSI colour codes whose ESC byte was lost (`[0m`, `[1;32m`). */
/** A colour code whose ESC was lost: `[0m`, `[1;32m`, or a bare `[m` not starting a word (`[metrics.py:125]` is a logger tag). */
const LOST_ESC = /\[(?:\d{1,3}(?:;\d{1,3})*m|m(?![\w.]))/g;
const FENCE = /^[ \t]*(?:(?:[-*+]|\d+\.)[ \t]+)?(?:```|~~~)[\w+-]*[ \t]*$/;
const HTML_TAGS = /<\/?(?:pre|code|samp|kbd|tt)\b[^>]*>/gi;
const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', '#39': "'", '#34': '"' };
/** Where a record starts inside a flattened log: a log level and a date, an ISO timestamp, a banner (`==== Title ====`) or a closing rule. */
const RECORD_START =
  / (?=(?:INFO|WARNING|ERROR|DEBUG|CRITICAL) \d{2}-\d{2} \d{2}:\d{2}:\d{2})| (?=\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2})| (?=={5,} [A-Za-z][^=]{0,60} ={5,})| (?=={20,}(?:\s|$))/g;

/** Whether `text` has more than `n` non-empty lines (looking no further than the one past `n`). */
function nonEmptyLinesOver(text: string, n: number): boolean {
  let seen = 0;
  for (let at = 0; at < text.length; ) {
    const nl = text.indexOf('\n', at);
    const end = nl < 0 ? text.length : nl;
    if (text.slice(at, end).trim() !== '' && ++seen > n) return true;
    at = end + 1;
  }
  return false;
}

/** Text flattened into few lines: literal `\n` escapes become newlines, or records go on their own lines. */
function unflatten(text: string, described: string[]): string {
  if (text.length < 300 || nonEmptyLinesOver(text, 3)) return text;
  const escaped = text.split('\\n').length - 1;
  if (escaped >= 3) {
    described.push('newlines written as \\n');
    return text.replace(/\\r\\n|\\n/g, '\n').replace(/\\t/g, '\t');
  }
  const records = text.replace(RECORD_START, '\n');
  const split = records.split('\n').map(splitResultBlock).join('\n');
  if (split.split('\n').length - text.split('\n').length >= 3) {
    described.push('newlines lost (records split at their timestamps)');
    if (split !== records) described.push('newlines lost in a result block (split at its labels)');
    return split;
  }
  return text;
}

/**
 * A result block flattened into one line (`==== Serving Benchmark Result ==== Successful requests:
 * 200   Benchmark duration (s): 40.50 … ----Time to First Token---- Mean TTFT (ms): …`): a line
 * again after the banner, before each `Label:` that follows a value and the padding the tool
 * printed after it, around each `----Section----` rule and before the closing `====`.
 */
function splitResultBlock(line: string): string {
  if (line.length < 200 || !/^={5,}[^=]+={5,}/.test(line)) return line;
  return line
    .replace(/^(={5,}[^=]+={5,})\s+/, '$1\n')
    .replace(/\s+(-{5,}[A-Za-z][^\n]*?-{5,})\s+/g, '\n$1\n')
    .replace(/(?<=\S) {2,}(?=[A-Z][\w .()/%,-]{1,60}:\s)/g, '\n')
    .replace(/\s+(={10,})\s*$/, '\n$1');
}

/** Everything but the repeated prefixes: markup, colours, line ends, flattening. */
function unmark(text: string, described: string[]): string {
  let t = text;
  if (t.includes('\r')) t = t.replace(/\r\n/g, '\n');
  const untagged = t.replace(HTML_TAGS, '');
  if (untagged !== t) {
    described.push('HTML <pre>');
    t = untagged.replace(/&(#?\w+);/g, (m, name: string) => ENTITIES[name.toLowerCase()] ?? m);
  }
  if (t.includes('\x1b')) {
    described.push('ANSI codes');
    t = stripAnsi(t);
  } else if (/\[0m|\[m(?![\w.])/.test(t) && (t.match(LOST_ESC)?.length ?? 0) >= 2) {
    described.push('ANSI codes without ESC');
    t = t.replace(LOST_ESC, '');
  }
  t = unflatten(t, described);
  if (t.includes('```') || t.includes('~~~')) {
    const lines = t.split('\n');
    let fences = 0;
    // Inside a fence indented as a list item's content, that indentation is the list's, not the output's.
    let indent = -1;
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i] ?? '';
      if (FENCE.test(line)) {
        indent = indent >= 0 ? -1 : indentOf(line);
        lines[i] = '';
        fences++;
      } else if (indent > 0) {
        lines[i] = line.slice(Math.min(indent, indentOf(line)));
      }
    }
    if (fences > 0) {
      described.push('Markdown fences');
      t = lines.join('\n');
    }
  }
  return t;
}

/**
 * The text a tool printed, out of its wrappings. Lines keep their numbers unless the text had lost
 * its newlines.
 */
export function unwrapText(text: string): Unwrapped {
  const described: string[] = [];
  const t = unmark(text, described);
  const split = t.split('\n');
  const w = detectWrapping(split);
  described.push(...w.described);
  const lines = uncommentRuns(w.described.length === 0 ? split : split.map(w.strip), described);
  return { text: described.length === 0 ? t : lines.join('\n'), described };
}
