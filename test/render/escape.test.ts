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
