/**
 * A page whose sidebar alone changed is framed again on its bytes (layout.ts reframed): the result
 * is the page `frame` makes around the `<main>` it had, byte for byte, whatever that holds.
 */
import { describe, expect, it } from 'vitest';
import { frame, reframed, type FrameInput } from '../../src/render/html/layout.js';

const MAIN = '<p class="pdf-link"><a href="pdf/a.zh.pdf">PDF</a></p>\n<h1>吞吐量 · <code>bench_c1.json</code></h1>\n<p>Tokens &amp; more: 1,204.7 tok/s</p>\n<svg><text>首字延迟 p99</text></svg>';
const base: Omit<FrameInput, 'main'> = {
  lang: 'zh',
  title: '报告 A',
  nav: [{ title: '报告 A', href: 'a.html', current: true }],
  indexHref: 'index.html',
  indexLabel: '全部报告',
  languages: [{ label: '中文', href: 'a.html', current: true }, { label: 'English', href: 'a.en.html', current: false }],
};
// The sidebar after a report was added, one with characters HTML must escape.
const after: Omit<FrameInput, 'main'> = { ...base, nav: [...base.nav, { title: 'B <new> & "quoted"', href: 'b.html', current: false }] };

describe('a page framed again', () => {
  it('is the new frame around the <main> it had, byte for byte', () => {
    const old = Buffer.from(frame({ ...base, main: MAIN }));
    const now = reframed(old, frame({ ...after, main: '' }));
    expect(now?.toString('utf8')).toBe(frame({ ...after, main: MAIN }));
    expect(now?.toString('utf8')).toContain('B &lt;new&gt; &amp; &quot;quoted&quot;');
  });

  it('keeps a <main> that mentions main tags in its text', () => {
    const tricky = `${MAIN}\n<pre><code>&lt;/main&gt;\n</code></pre>`;
    const now = reframed(Buffer.from(frame({ ...base, main: tricky })), frame({ ...after, main: '' }));
    expect(now?.toString('utf8')).toBe(frame({ ...after, main: tricky }));
  });

  it('declines a file that is not a page frame wrote: cut short, or no <main>', () => {
    const page = frame({ ...base, main: MAIN });
    const empty = frame({ ...after, main: '' });
    expect(reframed(Buffer.from(page.slice(0, -10)), empty)).toBeNull();
    expect(reframed(Buffer.from('<!doctype html><p>by hand</p>\n'), empty)).toBeNull();
    expect(reframed(Buffer.from(''), empty)).toBeNull();
  });
});
