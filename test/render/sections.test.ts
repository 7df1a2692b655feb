/**
 * Markdown parsed a section at a time (sections.ts) gives the tree the whole document gives,
 * positions included, on the shipped reports and on the constructs a cut could break.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import remarkCjkFriendly from 'remark-cjk-friendly';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { describe, expect, it } from 'vitest';
import { remarkSections, sectionsOf } from '../../src/render/html/sections.js';

const whole = unified().use(remarkParse).use(remarkCjkFriendly).use(remarkGfm).freeze();
const sectioned = unified().use(remarkParse).use(remarkCjkFriendly).use(remarkGfm).use(remarkSections).freeze();
const treeOf = (p: typeof whole, md: string) => JSON.stringify(p.parse(md));

const TABLE = '| run | tok/s |\n|---|---:|\n| `bench_c1.json` | 812.5 |\n';

/** [name, Markdown, sections expected] */
const cases: [string, string, number][] = [
  ['headings and tables', `# Report\n\n${TABLE}\n## Setup\n\nText.\n\n### Launch\n\n${TABLE}`, 3],
  ['a fence holding comment lines after blank lines', '# R\n\n```bash\nvllm serve x\n\n# a comment\n\n## another\n```\n\n## After\n\nText.\n', 2],
  ['a tilde fence with a shorter backtick fence inside', '# R\n\n~~~~\n```\n\n# in code\n```\n\n# still in code\n~~~~\n\n## After\n', 2],
  ['a fence whose closing-looking line is indented four spaces', '# R\n\n```\ncode\n    ```\n\n# in code\n```\n\n## After\n', 2],
  ['a fence closed by a longer fence with spaces after', '# R\n\n```\n\n# in code\n`````   \n\n## After\n', 2],
  // Indented two columns it could be a top-level fence too: no cut until it closes.
  ['a fence in a list item, ended by a heading at column 0', '# R\n\n- item\n\n  ```\n  code\n\n# out of the list\n\ntext\n', 1],
  ['a fence indented four columns in a nested list item', '# R\n\n- a\n  - b\n\n    ```\n    code\n\n    # a comment\n    ```\n\n# out of the lists\n\ntext\n', 2],
  ['an HTML comment across blank lines', '# R\n\n<!-- note\n\n# not a heading\n\n-->\n\n## After\n', 2],
  ['a comment closed on its own line', '# R\n\n<!-- note -->\n\n## After\n', 2],
  ['a <pre> block across blank lines', '# R\n\n<pre>\n\n# inside pre\n\n</pre>\n\n## After\n', 2],
  ['a <script> block', '# R\n\n<script>\n\n# x\n</script>\n\n## After\n', 2],
  ['a <details> block (ends at a blank line)', '# R\n\n<details><summary>raw</summary>\n\n```json\n{"a": 1}\n```\n\n</details>\n\n## After\n', 2],
  ['a list and a block quote before headings', '# R\n\n- a\n- b\n\n## H\n\n> quoted\n> more\n\n## I\n\n1. one\n\n   para\n', 3],
  ['no cut without a blank line before the heading', '# R\ntext\n## H\ntext\n', 1],
  ['not headings: #5, indented, setext', '# R\n\n#5 is not\n\n    # indented code\n\nSetext\n======\n\n## H\n', 2],
  ['CRLF line ends', '# R\r\n\r\ntext\r\n\r\n## H\r\n\r\n```\r\n\r\n# code\r\n```\r\n', 2],
  ['a last heading without a newline', '# R\n\ntext\n\n## End', 2],
  ['emphasis next to CJK punctuation across sections', '# 报告\n\n**吞吐量（tokens/s）**很高。\n\n## 结论\n\n**FP8**比BF16快。\n', 2],
];

describe('Markdown parsed a section at a time', () => {
  it.each(cases)('%s: the same tree as the whole document', (_, md, count) => {
    expect(sectionsOf(md)?.length ?? 1).toBe(count);
    expect(sectionsOf(md)?.join('') ?? md).toBe(md);
    expect(treeOf(sectioned, md)).toBe(treeOf(whole, md));
  });

  it('parses a document with a definition whole, wherever the definition is', () => {
    for (const md of [`# R\n\nsee [x]\n\n## H\n\n[x]: https://example.com\n`, '# R\n\n- [a\\]b]: /u\n\n## H\n\n[a\\]b]\n', '# R\n\nnote[^1]\n\n## H\n\n[^1]: the note\n']) {
      expect(sectionsOf(md)).toBeNull();
      expect(treeOf(sectioned, md)).toBe(treeOf(whole, md));
    }
  });

  it('gives the shipped reports the trees the whole documents give, in several sections each', () => {
    const dir = join(import.meta.dirname, '../../reports');
    const reports = readdirSync(dir).filter((f) => f.endsWith('.md'));
    expect(reports.length).toBeGreaterThanOrEqual(8);
    for (const f of reports) {
      const md = readFileSync(join(dir, f), 'utf8');
      expect(sectionsOf(md)?.length ?? 0, f).toBeGreaterThan(3);
      expect(treeOf(sectioned, md), f).toBe(treeOf(whole, md));
    }
  });
});
