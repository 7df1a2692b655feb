/**
 * compileTemplates: each template text is compiled once per process and bound to each locale's
 * helpers; a template is compiled when first used, and its error names it.
 */
import { describe, expect, it } from 'vitest';
import { compileTemplates, type LocaleSources } from '../../src/render/markdown/templates.js';

const sources = (words: Record<string, string>, partials: Record<string, string> = {}): LocaleSources => ({
  report: '{{t "hello"}} {{> part}}\n',
  readme: '{{#each items}}{{pos}}. {{this}}\n{{/each}}',
  overview: 'overview',
  partials: { part: '[{{t "hello"}}:{{name}}]', ...partials },
  words,
});

describe('compiled templates', () => {
  it('one compilation serves every locale, each with its own words', () => {
    const zh = compileTemplates(sources({ hello: '你好' }), 'zh');
    const en = compileTemplates(sources({ hello: 'hello' }), 'en');
    expect(zh.report({ name: 'x' })).toBe('你好 [你好:x]\n');
    expect(en.report({ name: 'y' })).toBe('hello [hello:y]\n');
    expect(en.readme({ items: ['a', 'b'] })).toBe('1. a\n2. b\n');
  });

  it('is strict: a field the view lacks is an error, as before', () => {
    const en = compileTemplates(sources({ hello: 'hello' }), 'en');
    expect(() => en.report({})).toThrow(/"name" not defined/);
  });

  it('a broken partial fails where it is used, naming its file, and not before', () => {
    const broken = sources({ hello: 'hi' }, { bad: '{{#if x}} never closed' });
    const t = compileTemplates(broken, 'en');
    expect(t.readme({ items: [] })).toBe('');
    expect(() => compileTemplates({ ...broken, report: '{{> bad}}' }, 'en').report({})).toThrow(/^template partials\/bad\.md\.hbs \(en\): Parse error/);
  });
});
