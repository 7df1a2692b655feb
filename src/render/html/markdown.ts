/**
 * Markdown → HTML for the site: unified with remark-parse, remark-cjk-friendly (emphasis next to
 * CJK punctuation) and remark-gfm, parsed a section at a time (sections.ts); remark-rehype,
 * hast-util-raw (rawFromFirst), then rehype-sanitize (the reports' own <details> survive; anything
 * else raw is dropped), heading ids and anchors, then links rewritten for the site and chart
 * images replaced by the inline SVG charts. Built once, frozen.
 */
import type { Element, ElementContent, Root, RootContent } from 'hast';
import { raw } from 'hast-util-raw';
import rehypeAutolinkHeadings from 'rehype-autolink-headings';
import rehypeSanitize, { defaultSchema } from 'rehype-sanitize';
import rehypeSlug from 'rehype-slug';
import rehypeStringify from 'rehype-stringify';
import remarkCjkFriendly from 'remark-cjk-friendly';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import remarkRehype from 'remark-rehype';
import { unified } from 'unified';
import { visit } from 'unist-util-visit';
import { remarkSections } from './sections.js';
import type { VFile } from 'vfile';

export interface SiteLinks {
  /** Maps a Markdown link target (as written in the reports) to its site page, or null to keep it. */
  page(href: string): string | null;
  /** The inline SVG for a chart image path and what follows it under the figure (its data), or null. */
  chart(src: string): { svg: string; after: string } | null;
  /** The heading of the printed table of contents ("Contents"). */
  contents: string;
}

const text = (n: Element | ElementContent): string => (n.type === 'text' ? n.value : 'children' in n ? n.children.map(text).join('') : '');

/**
 * The table of contents of the PDF (hidden on screen): every section (h2), with an empty cell the
 * PDF writer fills with the section's page number (write/pdf.ts). It goes after the first section,
 * the summary, which with the title makes page 1.
 */
function printContents(options: { links: SiteLinks }) {
  return (tree: Root) => {
    const sections = tree.children.filter((n): n is Element => n.type === 'element' && n.tagName === 'h2' && typeof n.properties['id'] === 'string');
    const second = sections[1];
    if (!second) return;
    const items: ElementContent[] = sections.map((h) => ({
      type: 'element',
      tagName: 'li',
      properties: {},
      children: [
        { type: 'element', tagName: 'a', properties: { href: `#${String(h.properties['id'])}` }, children: [{ type: 'text', value: text(h).replace(/#$/, '').trim() }] },
        { type: 'element', tagName: 'span', properties: { className: ['toc-page'], dataFor: String(h.properties['id']) }, children: [] },
      ],
    }));
    const toc: Element = {
      type: 'element',
      tagName: 'nav',
      properties: { className: ['print-toc'] },
      children: [
        { type: 'element', tagName: 'p', properties: { className: ['toc-title'] }, children: [{ type: 'text', value: options.links.contents }] },
        { type: 'element', tagName: 'ol', properties: {}, children: items },
      ],
    };
    tree.children.splice(tree.children.indexOf(second), 0, toc);
  };
}

const schema = {
  ...defaultSchema,
  attributes: { ...defaultSchema.attributes, '*': [...(defaultSchema.attributes?.['*'] ?? []), 'className'] },
};

const WBR: Element = { type: 'element', tagName: 'wbr', properties: {}, children: [] };

/** Text with a break opportunity after each `_`, `-`, `/` and `.` that has more text after it. */
function breakable(text: string): ElementContent[] {
  const parts = text.split(/(?<=[_\-/.])(?=.)/);
  return parts.flatMap((p, i) => (i === 0 ? [{ type: 'text', value: p }] : [{ ...WBR }, { type: 'text', value: p }])) as ElementContent[];
}

function rewrite(options: { links: SiteLinks }) {
  return (tree: Root) => {
    visit(tree, 'element', (node: Element, index, parent) => {
      if (node.tagName === 'a' && typeof node.properties['href'] === 'string') {
        const to = options.links.page(node.properties['href']);
        if (to !== null) node.properties['href'] = to;
      }
      if (node.tagName === 'img' && typeof node.properties['src'] === 'string' && parent && index !== undefined) {
        const chart = options.links.chart(node.properties['src']);
        if (chart !== null) {
          const figure: Element = {
            type: 'element',
            tagName: 'figure',
            properties: { className: ['chart'] },
            children: [
              { type: 'raw', value: chart.svg } as unknown as ElementContent,
              { type: 'element', tagName: 'figcaption', properties: {}, children: [{ type: 'text', value: String(node.properties['alt'] ?? '') }] },
              ...(chart.after ? [{ type: 'raw', value: chart.after } as unknown as ElementContent] : []),
            ],
          };
          // A chart alone in a paragraph replaces the paragraph.
          if (parent.type === 'element' && parent.tagName === 'p' && parent.children.filter((c) => !(c.type === 'text' && c.value.trim() === '')).length === 1) {
            Object.assign(parent, figure);
          } else parent.children[index] = figure;
        }
      }
      // Names in table cells break after `_`, `-`, `/` and `.` only (never one letter a line).
      if (node.tagName === 'code' && parent?.type === 'element' && (parent.tagName === 'td' || parent.tagName === 'th')) {
        node.children = node.children.flatMap((c) => (c.type === 'text' ? breakable(c.value) : [c]));
      }
      // The line of links under the title (the other language, all reports) is for the screen, not the PDF.
      if (node.tagName === 'p' && parent && index !== undefined && index !== null) {
        let i = index - 1;
        while (i >= 0 && parent.children[i]?.type !== 'element') i--;
        if ((parent.children[i] as Element | undefined)?.tagName === 'h1') node.properties = { ...node.properties, className: ['page-links'] };
      }
      if (node.tagName === 'table') {
        const wrapped: Element = { ...node };
        node.tagName = 'div';
        node.properties = { className: ['table-wrap'] };
        node.children = [wrapped];
        return 'skip';
      }
      return undefined;
    });
  };
}

/** Whether a node is, or holds, raw HTML from the Markdown. */
function holdsRaw(node: RootContent | ElementContent): boolean {
  if (node.type === 'raw') return true;
  return 'children' in node && node.children.some(holdsRaw);
}

/**
 * rehype-raw's work (hast-util-raw: the raw HTML in the Markdown parsed into the tree) done on the
 * part of the page that needs it: from the first top-level node that is or holds raw HTML to the
 * end, since an element the raw HTML opens may take in everything after it. What comes before
 * (most of a report: its tables, above the raw data in `<details>`) holds no raw HTML, and parsing
 * it again as HTML gives it back as it was, at twice the cost of the rest of the page.
 */
export function rawFromFirst() {
  return (tree: Root, file: VFile): Root => {
    const first = tree.children.findIndex(holdsRaw);
    if (first < 0) return tree;
    const tail = raw({ type: 'root', children: tree.children.slice(first) }, { file }) as Root;
    tree.children = [...tree.children.slice(0, first), ...tail.children];
    return tree;
  };
}

export function markdownProcessor(links: SiteLinks) {
  return unified()
    .use(remarkParse)
    .use(remarkCjkFriendly)
    .use(remarkGfm)
    .use(remarkSections)
    .use(remarkRehype, { allowDangerousHtml: true })
    .use(rawFromFirst)
    .use(rehypeSanitize, schema)
    .use(rehypeSlug)
    .use(rehypeAutolinkHeadings, { behavior: 'append', properties: { className: ['anchor'], ariaHidden: 'true', tabIndex: -1 }, content: { type: 'text', value: '#' } })
    .use(rewrite, { links })
    .use(printContents, { links })
    .use(rehypeStringify, { allowDangerousHtml: true })
    .freeze();
}
