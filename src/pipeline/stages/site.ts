/**
 * 4. Site: a page per report per locale — made again only when its report or its sidebar changed —
 * then the index per locale, the CSS and the files every site needs.
 */
import { sha256 } from '../../cache.js';
import { indexPath, pdfPath, sitePagePath } from '../../layout.js';
import type { ExperimentPages, SiteEntry } from '../../products.js';
import type { SiteShared } from '../../render/html/site.js';
import type { BuildState } from '../state.js';
import { makeAndTake } from './experiments.js';

/** What experiment `i`'s pages are made from: in memory, in the cache, or — the cache lost them — made again. */
async function pagesOf(state: BuildState, i: number): Promise<ExperimentPages | null> {
  const p = state.plan[i];
  if (!p) return null;
  const pages = state.pages.get(p.scanned.id) ?? (state.cache ? await state.cache.loadPages(p.key) : null);
  if (pages) return pages;
  return (await makeAndTake(state, i))?.pages ?? null;
}

export async function siteStage(state: BuildState): Promise<void> {
  const { ctx, cache, sink, plan, progress, withPdf } = state;
  const { config } = ctx;
  const site = await import('../../render/html/site.js');
  const shared: SiteShared = { locales: config.locales, defaultLocale: config.defaultLocale, strings: ctx.render.strings, withPdf };
  // The overview, where there is one, comes first in the sidebar and on the index.
  const siteEntries: SiteEntry[] = [...(state.overview?.site ?? []), ...state.entries.flatMap((e) => e.site)];
  const navKeys = Object.fromEntries(config.locales.map((l) => [l, sha256(JSON.stringify(site.navFor(siteEntries, l, null)))]));
  const nav = siteEntries.map((e) => ({ ...e, card: '' }));
  // Which pages to make: those whose report or sidebar changed since they were written.
  const stale: { i: number; s: SiteEntry; html: string; pageKey: string }[] = [];
  for (const [i, p] of plan.entries()) {
    for (const s of state.entries[i]?.site ?? []) {
      const html = sitePagePath(s.slug, s.locale);
      state.sitePages.push({ html, pdf: pdfPath(s.slug, s.locale) });
      const pageKey = sha256(p.key, navKeys[s.locale] ?? '', String(withPdf));
      if (cache?.fresh(html, pageKey)) sink.keep(html);
      else stale.push({ i, s, html, pageKey });
    }
  }
  let done = siteEntries.length - stale.length;
  progress('site', done, siteEntries.length);
  const current = state.pool?.current ?? null;
  const pool = current !== null && current.parallel > 1 ? current : (state.pool?.get(stale.length / 8) ?? null);
  // Pages handed to the pool and not yet written: a few per renderer, not the whole site, so that
  // this thread holds the Markdown and SVGs of a few experiments at a time.
  const jobs = new Set<Promise<void>>();
  const send = async (job: () => Promise<void>) => {
    while (pool !== null && jobs.size >= 2 * pool.parallel) await Promise.race(jobs);
    const p = job().finally(() => jobs.delete(p));
    p.catch(() => {}); // its error surfaces where it is awaited (race, or all below), not as unhandled
    jobs.add(p);
  };
  // The experiment whose pages are being made: its pages loaded once, its SVGs mapped once.
  const open: { i: number; pages: ExperimentPages | null; svgs: Map<string, string> | null } = { i: -1, pages: null, svgs: null };
  for (const { i, s, html, pageKey } of stale) {
    if (open.i !== i) Object.assign(open, { i, pages: await pagesOf(state, i), svgs: null });
    if (open.pages === null) continue; // made again and failed: its message says so
    const markdown = open.pages.markdown[s.locale] ?? '';
    const svgs = open.pages.svgs;
    const finish = async (text: string) => {
      await sink.put(html, text);
      state.stats.pages++;
      cache?.setKey(html, pageKey);
      progress('site', ++done, siteEntries.length);
    };
    if (pool !== null && pool.parallel > 1) await send(() => pool.run<string>({ kind: 'page', shared, nav, entry: s, markdown, svgs }).then(finish));
    else {
      open.svgs ??= new Map(Object.entries(svgs));
      await finish(site.reportPage(shared, siteEntries, s, markdown, open.svgs));
    }
  }
  // The overview's pages: made every time, as they follow every experiment; on a worker where there are some.
  const overview = state.overview;
  if (overview) {
    for (const s of overview.site) {
      const html = sitePagePath(s.slug, s.locale);
      state.sitePages.push({ html, pdf: pdfPath(s.slug, s.locale) });
      const markdown = overview.markdown[s.locale] ?? '';
      const pageKey = sha256(state.overviewKey, navKeys[s.locale] ?? '', String(withPdf));
      if (cache?.fresh(html, pageKey)) {
        sink.keep(html);
        continue;
      }
      const made = async (text: string) => {
        await sink.put(html, text);
        state.stats.pages++;
        cache?.setKey(html, pageKey);
      };
      if (pool !== null && pool.parallel > 1) await send(() => pool.run<string>({ kind: 'page', shared, nav, entry: s, markdown, svgs: overview.svgs }).then(made));
      else await made(site.reportPage(shared, siteEntries, s, markdown, new Map(Object.entries(overview.svgs))));
    }
  }
  await Promise.all(jobs);
  progress('site', siteEntries.length, siteEntries.length);
  for (const locale of config.locales) await sink.put(indexPath(locale, config.defaultLocale), site.indexPage(shared, siteEntries, locale));
  for (const [rel, text] of site.staticFiles(ctx.css)) await sink.put(rel, text);
}
