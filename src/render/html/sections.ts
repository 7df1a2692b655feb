/**
 * Markdown parsed a section at a time. micromark holds the events of everything it parses until
 * the end of the document, some 400 bytes of heap per byte of a report's tables: 60–80 MiB for the
 * overview of a hundred experiments (146 KB), most of a build's peak. Cut before each ATX heading
 * that starts a top-level block, the document parses into the same mdast, section by section, with
 * a fraction of that held at once, and faster.
 *
 * A cut is made only where CommonMark guarantees that nothing open before it continues after it:
 * a line `#`–`######` at column 0 after a blank line ends any paragraph, list, block quote, table,
 * indented code and HTML block of kinds 6 and 7, but not a fenced code block or an HTML block of
 * kinds 1–5 (`<script`, `<pre`, `<style`, `<textarea`, comments, `<?…`, `<!X…`, CDATA), which end
 * at their own closing marks, so no cut is made inside those. Definitions (`[x]: …`, footnotes
 * `[^x]: …`) belong to the whole document: Markdown with a line that may be one is parsed whole.
 */
import type { Root } from 'mdast';
import type { Processor } from 'unified';
import { visit } from 'unist-util-visit';
import type { VFile } from 'vfile';

/**
 * What every link reference or footnote definition holds (`]:` ends its label, which may span
 * lines, hold escaped brackets, and sit in a list item or block quote): Markdown without it has none.
 */
const DEFINITION = ']:';

const FENCE = /^( *)(`{3,}|~{3,})(.*)$/;

/** HTML blocks that blank lines do not end (CommonMark kinds 1–5), and the mark each ends at. */
const OPEN_HTML: [RegExp, RegExp][] = [
  [/^ {0,3}<(?:script|pre|style|textarea)(?:[\s>]|$)/i, /<\/(?:script|pre|style|textarea)>/i],
  [/^ {0,3}<!--/, /-->/],
  [/^ {0,3}<\?/, /\?>/],
  [/^ {0,3}<![A-Za-z]/, />/],
  [/^ {0,3}<!\[CDATA\[/, /\]\]>/],
];

const HEADING = /^#{1,6}(?:[ \t]|$)/;

/**
 * The document cut into sections (each but the first starting with its heading), joined by
 * nothing: `sections.join('')` is the document. Null when it must be parsed whole.
 */
export function sectionsOf(doc: string): string[] | null {
  if (doc.includes(DEFINITION)) return null;
  const cuts: number[] = [];
  let fence: { indent: number; mark: string } | null = null;
  let html: RegExp | null = null;
  let blank = true;
  let at = 0;
  while (at < doc.length) {
    const nl = doc.indexOf('\n', at);
    const end = nl < 0 ? doc.length : nl + 1;
    const line = doc.slice(at, nl < 0 ? doc.length : nl).replace(/\r$/, '');
    if (fence !== null) {
      // A closing fence: the opening's character, as long or longer, nothing after it, indented at
      // most three columns when the opening is (a top-level fence); an opening indented more is in
      // a list item, which any line at column 0 after a blank one ends, its fence with it.
      const f = FENCE.exec(line);
      if (f && (f[1] ?? '').length <= (fence.indent <= 3 ? 3 : fence.indent + 3) && (f[2] ?? '')[0] === fence.mark[0] && (f[2] ?? '').length >= fence.mark.length && (f[3] ?? '').trim() === '') fence = null;
    } else if (html !== null) {
      if (html.test(line)) html = null;
    } else {
      // Any fence-like line opens one, whatever its indentation: at worst a cut is not made.
      const f = FENCE.exec(line);
      const opens = OPEN_HTML.find(([start]) => start.test(line));
      if (f && !((f[2] ?? '')[0] === '`' && (f[3] ?? '').includes('`'))) fence = { indent: (f[1] ?? '').length, mark: f[2] ?? '' };
      else if (opens) {
        // It may close on the line it opens.
        const rest = line.slice(line.indexOf('<') + 2);
        if (!opens[1].test(rest)) html = opens[1];
      } else if (blank && at > 0 && HEADING.test(line)) cuts.push(at);
    }
    blank = line.trim() === '';
    at = end;
  }
  if (cuts.length === 0) return null;
  const sections: string[] = [];
  let from = 0;
  for (const cut of cuts) {
    sections.push(doc.slice(from, cut));
    from = cut;
  }
  sections.push(doc.slice(from));
  return sections;
}

/**
 * remark plugin, after remark-parse and the plugins that add syntax to it: the parser parses the
 * document a section at a time (sectionsOf) into one tree, positions as in the whole document.
 */
export function remarkSections(this: Processor) {
  const whole = this.parser as ((doc: string, file: VFile) => Root) | undefined;
  if (!whole) throw new Error('remarkSections needs a parser before it (remark-parse)');
  this.parser = (doc: string, file: VFile): Root => {
    const sections = sectionsOf(doc);
    if (sections === null) return whole(doc, file);
    const root: Root = { type: 'root', children: [] };
    // Where the section parsed last ended, in the whole document: the next one starts there, on
    // the first column (a cut is made at the start of a line).
    let end = { line: 1, column: 1, offset: 0 };
    for (const section of sections) {
      const tree = whole(section, file);
      const lines = end.line - 1;
      const offset = end.offset;
      if (lines > 0 || offset > 0) {
        visit(tree, (node) => {
          const p = node.position;
          if (!p) return;
          p.start = { ...p.start, line: p.start.line + lines, offset: (p.start.offset ?? 0) + offset };
          p.end = { ...p.end, line: p.end.line + lines, offset: (p.end.offset ?? 0) + offset };
        });
      }
      const at = tree.position?.end;
      if (at?.offset === undefined) return whole(doc, file); // a parser that gives no positions: nothing to place the parts by
      end = { line: at.line, column: at.column, offset: at.offset };
      root.children.push(...tree.children);
    }
    root.position = { start: { line: 1, column: 1, offset: 0 }, end };
    return root;
  };
}
