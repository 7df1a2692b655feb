/** The HTML page around the Markdown: sidebar, language switch, local CSS. Relative links only. */

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

export interface NavItem {
  title: string;
  href: string;
  current: boolean;
}

export interface PageInput {
  lang: string;
  title: string;
  body: string;
  nav: NavItem[];
  indexHref: string;
  indexLabel: string;
  languages: { label: string; href: string; current: boolean }[];
  pdfHref?: string;
  pdfLabel?: string;
}

const HTML_LANG: Record<string, string> = { zh: 'zh-CN', en: 'en' };

export function page(p: PageInput): string {
  const nav = p.nav
    .map((n) => `<li><a href="${escapeHtml(n.href)}"${n.current ? ' aria-current="page"' : ''}>${escapeHtml(n.title)}</a></li>`)
    .join('\n');
  const langs = p.languages
    .map((l) => (l.current ? `<strong>${escapeHtml(l.label)}</strong>` : `<a href="${escapeHtml(l.href)}" hreflang="${escapeHtml(l.label)}">${escapeHtml(l.label)}</a>`))
    .join('');
  const pdf = p.pdfHref ? `<p class="pdf-link"><a href="${escapeHtml(p.pdfHref)}">${escapeHtml(p.pdfLabel ?? 'PDF')}</a></p>\n` : '';
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
</nav>
<main>
${pdf}${p.body}
</main>
</body>
</html>
`;
}
