/** The HTML page around the Markdown: sidebar, language switch, local CSS. Relative links only. */

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

export interface NavItem {
  title: string;
  href: string;
  current: boolean;
}

/** What a page's `<main>` holds: the link to its PDF, where there is one, and the body. */
export interface MainInput {
  body: string;
  pdfHref?: string;
  pdfLabel?: string;
}

/** A page: its `<main>` (mainOf, made or kept from the page written before) inside the layout. */
export interface FrameInput {
  lang: string;
  title: string;
  main: string;
  nav: NavItem[];
  indexHref: string;
  indexLabel: string;
  languages: { label: string; href: string; current: boolean }[];
}

export type PageInput = Omit<FrameInput, 'main'> & MainInput;

const HTML_LANG: Record<string, string> = { zh: 'zh-CN', en: 'en' };

export function mainOf(p: MainInput): string {
  const pdf = p.pdfHref ? `<p class="pdf-link"><a href="${escapeHtml(p.pdfHref)}">${escapeHtml(p.pdfLabel ?? 'PDF')}</a></p>\n` : '';
  return `${pdf}${p.body}`;
}

const MAIN_OPEN = '\n<main>\n';
const MAIN_CLOSE = '\n</main>\n</body>\n</html>\n';
const MAIN_CLOSE_BYTES = Buffer.from(MAIN_CLOSE);

/**
 * A page `frame` wrote, in a new frame: `emptyFrame` (the new frame around an empty `<main>`) up
 * to its `<main>`, then the page's own bytes from its `<main>` on, undecoded; the same bytes as
 * `frame` around the `<main>` the page has. Null when the page is not one `frame` wrote.
 */
export function reframed(page: Buffer, emptyFrame: string): Buffer | null {
  const at = page.indexOf(MAIN_OPEN);
  if (at < 0 || page.length < at + MAIN_OPEN.length + MAIN_CLOSE_BYTES.length || !page.subarray(page.length - MAIN_CLOSE_BYTES.length).equals(MAIN_CLOSE_BYTES)) return null;
  if (!emptyFrame.endsWith(MAIN_OPEN + MAIN_CLOSE)) throw new Error('reframed: not a frame around an empty <main>');
  return Buffer.concat([Buffer.from(emptyFrame.slice(0, emptyFrame.length - MAIN_OPEN.length - MAIN_CLOSE.length)), page.subarray(at)]);
}

export function page(p: PageInput): string {
  return frame({ ...p, main: mainOf(p) });
}

export function frame(p: FrameInput): string {
  const nav = p.nav
    .map((n) => `<li><a href="${escapeHtml(n.href)}"${n.current ? ' aria-current="page"' : ''}>${escapeHtml(n.title)}</a></li>`)
    .join('\n');
  const langs = p.languages
    .map((l) => (l.current ? `<strong>${escapeHtml(l.label)}</strong>` : `<a href="${escapeHtml(l.href)}" hreflang="${escapeHtml(l.label)}">${escapeHtml(l.label)}</a>`))
    .join('');
  // The report list twice: a sidebar on wide screens, a folded menu on narrow ones (CSS picks; no script).
  return `<!doctype html>
<html lang="${HTML_LANG[p.lang] ?? p.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(p.title)}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="assets/style.css">
</head>
<body>
<nav class="sidebar">
<div class="lang">${langs}</div>
<h2><a href="${escapeHtml(p.indexHref)}">${escapeHtml(p.indexLabel)}</a></h2>
<ul class="reports">
${nav}
</ul>
<details class="menu">
<summary>${escapeHtml(p.indexLabel)}</summary>
<ul>
<li><a href="${escapeHtml(p.indexHref)}">${escapeHtml(p.indexLabel)}</a></li>
${nav}
</ul>
</details>
</nav>${MAIN_OPEN}${p.main}${MAIN_CLOSE}`;
}
