/**
 * How chart text is laid out: how wide a text is in the chart font, estimated (what Vega lays
 * charts out by, render.ts installing it as Vega's text metrics, and what the specs choose label
 * angles by), and the field by which a chart's rows rank their value labels. Pure.
 */

/** Rows may rank their value labels: the lower `labelRank`, the earlier a label is placed where labels crowd (a sweep's peak before its neighbours; render.ts). */
export const LABEL_RANK = 'labelRank';

/** Full-width characters (CJK, kana, hangul, full-width forms) take about 1 em. */
function isWide(code: number): boolean {
  return (
    (code >= 0x1100 && code <= 0x115f) ||
    (code >= 0x2e80 && code <= 0xa4cf) ||
    (code >= 0xac00 && code <= 0xd7a3) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0xfe30 && code <= 0xfe4f) ||
    (code >= 0xff00 && code <= 0xff60) ||
    (code >= 0xffe0 && code <= 0xffe6)
  );
}

/**
 * The advance of each printable ASCII character (U+0020 to U+007E) in the chart font (Noto Sans SC
 * Regular), in hundredths of an em, as resvg draws it: "m" and "%" nearly an em, "i" and "." a
 * quarter. One guess for all of them (0.58 em) put "MMMWWW%%%" at two thirds of its drawn width.
 */
const ASCII = [
  22, 32, 47, 56, 56, 92, 68, 28, 34, 34, 47, 56, 28, 35, 28, 39, 56, 56, 56, 56, 56, 56, 56, 56, 56, 56, 28, 28, 56, 56, 56, 47,
  95, 60, 66, 61, 69, 59, 55, 69, 73, 29, 49, 65, 54, 81, 72, 74, 63, 74, 64, 58, 60, 72, 58, 88, 57, 53, 58, 34, 39, 34, 56, 56,
  61, 56, 62, 48, 62, 55, 32, 56, 61, 28, 28, 55, 28, 93, 61, 61, 62, 62, 39, 47, 35, 61, 52, 80, 50, 52, 48, 34, 27, 34, 56,
];

/** The symbols below U+2000 that the font draws a full em wide: · × ± ÷. */
const FULL = new Set([0xb7, 0xd7, 0xb1, 0xf7]);

/** `text`'s width in px at `fontSize`. */
export function estimateTextWidth(text: string, fontSize: number): number {
  let em = 0;
  for (const ch of text) {
    const c = ch.codePointAt(0) ?? 0;
    if (c >= 0x20 && c < 0x7f) em += (ASCII[c - 0x20] ?? 56) / 100;
    // Full-width characters, and the font's punctuation, arrows and mathematical signs (U+2000 on).
    else if (isWide(c) || FULL.has(c) || (c >= 0x2000 && c <= 0x2bff)) em += 1;
    else em += 0.6;
  }
  return em * fontSize;
}
