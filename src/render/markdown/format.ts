/** Number and date formatting per locale, shared by the template helpers. Deterministic. */

const LOCALE_TAGS: Record<string, string> = { zh: 'zh-CN', en: 'en-US' };

function tag(locale: string): string {
  return LOCALE_TAGS[locale] ?? locale;
}

const cache = new Map<string, Intl.NumberFormat>();
function nf(locale: string, digits: number, fixed = false): Intl.NumberFormat {
  const key = `${locale}|${digits}|${fixed}`;
  let f = cache.get(key);
  if (!f) {
    f = new Intl.NumberFormat(tag(locale), { maximumFractionDigits: digits, minimumFractionDigits: fixed ? digits : 0 });
    cache.set(key, f);
  }
  return f;
}

export const DASH = '–';

export function formatNumber(v: unknown, locale: string, digits = 2): string {
  return typeof v === 'number' && Number.isFinite(v) ? nf(locale, digits).format(v) : DASH;
}

export function formatRatio(v: unknown, locale: string, digits = 2): string {
  return typeof v === 'number' && Number.isFinite(v) ? `${nf(locale, digits, true).format(v)}×` : DASH;
}

export function formatPercent(v: unknown, locale: string, digits = 1): string {
  return typeof v === 'number' && Number.isFinite(v) ? `${nf(locale, digits).format(v * 100)}%` : DASH;
}

export function formatDate(iso: string, locale: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return iso;
  const [, y, mo, d] = m;
  if (locale === 'zh') return `${y} 年 ${Number(mo)} 月 ${Number(d)} 日`;
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  return `${Number(d)} ${months[Number(mo) - 1] ?? mo} ${y}`;
}
