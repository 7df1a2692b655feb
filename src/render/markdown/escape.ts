/**
 * Escaping for Markdown output. Everything that comes from an artifact (model names, labels, file
 * names, log lines, facts) passes through one of these before it reaches a template, so it shows as
 * text and never as Markdown or HTML structure.
 */

/** Inline text: Markdown punctuation backslash-escaped, HTML-special characters as entities, one line. */
export function mdText(s: string): string {
  return s
    .replace(/\r?\n|\r/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_{}[\]|~])/g, '\\$1')
    .replace(/^(\s*)([#>+=-])/, '$1\\$2')
    .replace(/^(\s*\d+)([.)])(?=\s|$)/, '$1\\$2');
}

/** The inverse of mdText: the plain text again (for places that are not Markdown, e.g. HTML via escapeHtml). */
export function mdTextToPlain(md: string): string {
  return md
    .replace(/\\([\\`*_{}[\]|~#>+=\-.)])/g, '$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** Inline code: a backtick run longer than any inside; safe in GFM table cells (pipes escaped). */
export function mdCode(s: string): string {
  const one = s.replace(/\r?\n|\r/g, ' ');
  const longest = Math.max(0, ...[...one.matchAll(/`+/g)].map((m) => m[0].length));
  const ticks = '`'.repeat(longest + 1);
  const pad = one.startsWith('`') || one.endsWith('`') || one.startsWith(' ') ? ' ' : '';
  return `${ticks}${pad}${one.replace(/\|/g, '\\|')}${pad}${ticks}`;
}

/** A fenced code block that no content can close early. */
export function mdFence(content: string, lang = ''): string {
  const longest = Math.max(2, ...[...content.matchAll(/`{3,}|~{3,}/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  const body = content.replace(/\r\n?/g, '\n').replace(/\n$/, '');
  return `${fence}${lang}\n${body}\n${fence}`;
}

/** The author's own notes: Markdown kept verbatim, raw HTML shown as text. */
export function mdNotes(s: string): string {
  return s.replace(/\r\n?/g, '\n').replace(/&(?![a-zA-Z]+;|#\d+;)/g, '&amp;').replace(/</g, '&lt;').replace(/>(?!\s)/g, '&gt;').trim();
}

/** A link target inside this repository (relative path), percent-encoded where Markdown needs it. */
export function mdHref(path: string): string {
  return encodeURI(path).replace(/[()]/g, (c) => (c === '(' ? '%28' : '%29'));
}

/**
 * Text inside an HTML block of the Markdown (e.g. a <summary>): Markdown escapes do not apply
 * there, so it is HTML-escaped, and line breaks and other controls become spaces (a blank line
 * would end the block).
 */
export function mdHtmlText(s: string): string {
  return s
    .replace(/[\u0000-\u001f\u007f]+/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}
