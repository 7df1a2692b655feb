/** Where the site's files go (relative to the root); light, so a build with nothing to do loads only this. */

export function indexName(locale: string, defaultLocale: string): string {
  return locale === defaultLocale ? 'index.html' : `index.${locale}.html`;
}

export function sitePagePath(slug: string, locale: string): string {
  return `site/${slug}.${locale}.html`;
}

export function pdfPath(slug: string, locale: string): string {
  return `site/pdf/${slug}.${locale}.pdf`;
}
