/**
 * The raw HTML of a report's Markdown is parsed from the first top-level node that holds some to
 * the end (rawFromFirst): the page is the one hast-util-raw gives over the whole tree.
 */
import type { Root } from 'hast';
import { raw } from 'hast-util-raw';
import rehypeStringify from 'rehype-stringify';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import remarkRehype from 'remark-rehype';
import { unified } from 'unified';
import { describe, expect, it } from 'vitest';
import { rawFromFirst } from '../../src/render/html/markdown.js';

const toHast = unified().use(remarkParse).use(remarkGfm).use(remarkRehype, { allowDangerousHtml: true });
const hastOf = (md: string): Root => toHast.runSync(toHast.parse(md)) as Root;
const html = unified().use(rehypeStringify, { allowDangerousHtml: true });
const toHtml = (tree: Root) => html.stringify(tree);
const wholeTree = unified().use(() => (tree: Root) => raw(tree) as Root);
const fromFirst = unified().use(rawFromFirst);

const TABLE = '| run | tok/s |\n|---|---:|\n| `bench_c1.json` | 812.5 |\n| `bench_c2.json` | 1,520.0 |\n';
const DETAILS = '<details class="raw"><summary>bench_c1.json</summary>\n\n```json\n{"a": "<b>&amp;</b>"}\n```\n\n</details>\n';

const cases: [string, string][] = [
  ['no raw HTML at all', `# Report\n\n${TABLE}\nText with *emphasis*.\n`],
  ['raw data after the tables, as a report has it', `# Report\n\n${TABLE}\n## Raw data\n\n${DETAILS}\n${DETAILS}`],
  ['raw HTML first', `${DETAILS}\n# After\n\n${TABLE}`],
  ['inline HTML in a table cell before the raw data', `# Report\n\n| a | b |\n|---|---|\n| x<br>y | <span>z</span> |\n\n${TABLE}\n${DETAILS}`],
  ['an element left open, which takes in what follows', `# Report\n\n${TABLE}\n<details><summary>open</summary>\n\n${TABLE}\nLast paragraph.\n`],
  ['a comment and a stray closing tag', `# Report\n\n${TABLE}\n<!-- note -->\n\n</div>\n\n${TABLE}`],
];

describe('raw HTML parsed from its first node on', () => {
  it.each(cases)('%s: the same page as parsing the whole tree', (_, md) => {
    const whole = toHtml(wholeTree.runSync(hastOf(md)) as Root);
    const part = toHtml(fromFirst.runSync(hastOf(md)) as Root);
    expect(part).toBe(whole);
    expect(part).not.toMatch(/<details class="raw"><summary>bench_c1\.json<\/summary>\s*<\/details>/); // the raw data stays inside
  });

  it('leaves a page without raw HTML as remark-rehype made it', () => {
    const tree = hastOf(`# Report\n\n${TABLE}`);
    const before = JSON.stringify(tree);
    expect(JSON.stringify(fromFirst.runSync(tree))).toBe(before);
  });
});
