import { describe, expect, it } from 'vitest';
import { mdCode, mdFence, mdText, mdTextToPlain } from '../../src/render/markdown/escape.js';

const hostile = [
  '<img src=x onerror=alert(1)>',
  'a | b ** c __ d [e](javascript:f) `g` ~h~ \\ i',
  '# heading',
  '- item',
  '1. first',
  '> quote',
  '&lt;already&gt; & more',
  'Qwen2.5-VL-72B (TP=2) 解码吞吐',
];

describe('Markdown escaping', () => {
  it.each(hostile)('mdText keeps %s as text and mdTextToPlain gives it back', (s) => {
    const md = mdText(s);
    expect(md).not.toMatch(/<[a-z]/i);
    expect(md).not.toMatch(/(?<!\\)\|/);
    expect(md).not.toMatch(/^(#|-|\d+\.|>) /);
    expect(mdTextToPlain(md)).toBe(s);
  });
  it('makes code spans and fences that their content cannot close', () => {
    expect(mdCode('a ` b | c')).toBe('``a ` b \\| c``');
    expect(mdFence('x\n```\ny', 'sh')).toBe('````sh\nx\n```\ny\n````');
  });
});

describe('text inside an HTML block of the Markdown', () => {
  it.each([...hostile, 'vllm_bench_serve_tp2.txt', 'two\nlines\n\nand a blank one'])('mdHtmlText shows %j as text in a <summary>, backslash-free', async (s) => {
    const { mdHtmlText } = await import('../../src/render/markdown/escape.js');
    const { markdownProcessor } = await import('../../src/render/html/markdown.js');
    const md = `<details><summary>${mdHtmlText(s)}</summary>\n\nbody\n\n</details>\n`;
    const html = String(markdownProcessor({ page: () => null, chart: () => null, contents: 'Contents' }).processSync(md));
    const summary = /<summary>([\s\S]*?)<\/summary>/.exec(html)?.[1] ?? '';
    const named: Record<string, string> = { lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' };
    const text = summary.replace(/&(?:#x([0-9a-f]+)|#(\d+)|(\w+));/gi, (all, hex: string | undefined, dec: string | undefined, name: string | undefined) =>
      hex ? String.fromCodePoint(parseInt(hex, 16)) : dec ? String.fromCodePoint(Number(dec)) : (named[name ?? ''] ?? all),
    );
    expect(text).toBe(s.replace(/[\u0000-\u001f]+/g, ' '));
    expect(summary).not.toMatch(/<[a-z]/i);
    expect(html).toContain('<p>body</p>');
  });
});
