/**
 * 4. Site: a page per report per locale — made again only when its report or its sidebar changed —
 * then the index per locale, the CSS and the files every site needs.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sha256 } from '../../hash.js';
import { indexPath, pdfPath, sitePagePath } from '../../layout.js';
import { reframed } from '../../render/html/layout.js';
import type { ExperimentPages, SiteEntry } from '../../products.js';
import type { SiteShared } from '../../render/html/site.js';
import { mainKeyOf, pageKeyOf, type BuildState } from '../state.js';
import { makeAndTake } from './experiments.js';

/** What experiment `i`'s pages are made from: in memory, in the cache, or — the cache lost them — made again. */
async function pagesOf(state: BuildState, i: number): Promise<ExperimentPages | null> {
  const p = state.plan[i];
  if (!p) return null;
  const pages = state.pages.get(p.scanned.id) ?? (state.cache ? await state.cache.loadPages(p.key) : null);
  if (pages) return pages;
  return (await makeAndTake(state, i))?.pages ?? null;
}

/**
 * A page whose `<main>` is as the last build made it but whose sidebar changed (a report added,
 * removed or renamed): framed again around the `<main>` of the page on disk, which the cache vouches
 * for. False when there is no such page to take it from.
 */
async function reframe(state: BuildState, html: string, mainKey: string, frameOf: (main: string) => string): Promise<boolean> {
  const { cache } = state;
  if (!cache || mainKeyOf(cache.keyOf(html)) !== mainKey || !cache.intact([html])) return false;
  let was: Buffer;
  try {
    was = await readFile(join(state.ctx.root, html));
  } catch {
    return false;
  }
  const now = reframed(was, frameOf(''));
  if (now === null) return false;
  await state.sink.put(html, now, was);
  state.stats.framed++;
  return true;
}

/**
 * Markdown longer than this (characters) is rendered on a worker when there is one: the overview
 * of a hundred experiments (140,000) leaves some 100 MiB of garbage, which would grow the main
 * thread's heap for the rest of the build; a report (under 40,000) leaves little.
 */
const BIG_PAGE = 60_000;

/**
 * Pages framed again at once: each is a read, a compare and a write through libuv's pool, which
 * one at a time leave this thread waiting (200 pages of 240 KB at 100 experiments, one experiment
 * added: 0.33–0.57 s one at a time, 0.20–0.30 s eight at a time).
 */
const REFRAMING = 8;

/** `f` over `items` with at most `limit` calls in flight; the results in the items' order. */
async function eachAtMost<T, R>(limit: number, items: readonly T[], f: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const k = next++;
      out[k] = await f(items[k] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return out;
}

/** A page to make: its entry, the key of its <main>, and what it is made from. */
interface PageJob {
  s: SiteEntry;
  mainKey: string;
  source: () => Promise<{ markdown: string; svgs: Record<string, string> } | null>;
}

export async function siteStage(state: BuildState): Promise<void> {
  const { ctx, cache, sink, plan, progress, withPdf } = state;
  const { config } = ctx;
  const site = await import('../../render/html/site.js');
  const shared: SiteShared = { locales: config.locales, defaultLocale: config.defaultLocale, strings: ctx.render.strings, withPdf };
  // The overview, where there is one, comes first in the sidebar and on the index.
  const siteEntries: SiteEntry[] = [...(state.overview?.site ?? []), ...state.entries.flatMap((e) => e.site)];
  const navKeys = Object.fromEntries(config.locales.map((l) => [l, sha256(JSON.stringify(site.navFor(siteEntries, l, null)))]));
  // A page is its <main>, made from its report (mainKey), in a frame with the sidebar (navKeys).
  const pageKey = (j: PageJob) => pageKeyOf(j.mainKey, navKeys[j.s.locale] ?? '');
  const frameOf = (s: SiteEntry) => (main: string) => site.reportFrame(shared, siteEntries, s, main);
  const all: PageJob[] = [];
  const overview = state.overview;
  for (const s of overview?.site ?? []) {
    const from = { markdown: overview?.markdown[s.locale] ?? '', svgs: overview?.svgs ?? {} };
    all.push({ s, mainKey: sha256(state.overviewKey, s.locale, String(withPdf)), source: async () => from });
  }
  // The experiment whose pages are being made: its pages loaded once.
  const open: { i: number; pages: Promise<ExperimentPages | null> | null } = { i: -1, pages: null };
  for (const [i, p] of plan.entries()) {
    for (const s of state.entries[i]?.site ?? []) {
      const source = async () => {
        if (open.i !== i) Object.assign(open, { i, pages: pagesOf(state, i) });
        const pages = await open.pages;
        return pages ? { markdown: pages.markdown[s.locale] ?? '', svgs: pages.svgs } : null;
      };
      all.push({ s, mainKey: sha256(p.key, s.locale, String(withPdf)), source });
    }
  }
  // Pages kept as they are, or framed again around their kept <main>; the others are made.
  const stale: PageJob[] = [];
  for (const j of all) {
    const html = sitePagePath(j.s.slug, j.s.locale);
    state.sitePages.push({ html, pdf: pdfPath(j.s.slug, j.s.locale), mainKey: j.mainKey });
    if (cache?.fresh(html, pageKey(j))) sink.keep(html);
    else stale.push(j);
  }
  const framed = await eachAtMost(REFRAMING, stale, (j) => reframe(state, sitePagePath(j.s.slug, j.s.locale), j.mainKey, frameOf(j.s)));
  const todo: PageJob[] = [];
  for (const [k, j] of stale.entries()) {
    if (framed[k]) cache?.setKey(sitePagePath(j.s.slug, j.s.locale), pageKey(j));
    else todo.push(j);
  }
  let done = all.length - todo.length;
  progress('site', done, all.length);
  // Pages on a pool of their own: the workers that made experiments hold the chart libraries and
  // a heap grown by charts (60 MiB of the peak at 100 experiments), which pages need neither of.
  const pool = (await state.pool?.fresh(todo.length / 8)) ?? null;
  // Pages handed to the pool and not yet written: a few per renderer, not the whole site, so that
  // this thread holds the Markdown and SVGs of a few experiments at a time.
  const jobs = new Set<Promise<void>>();
  for (const j of todo) {
    const html = sitePagePath(j.s.slug, j.s.locale);
    const finish = async (main: string) => {
      await sink.put(html, frameOf(j.s)(main));
      state.stats.pages++;
      cache?.setKey(html, pageKey(j));
      progress('site', ++done, all.length);
    };
    const from = await j.source();
    if (from === null) continue; // made again and failed: its message says so
    if (pool !== null && pool.parallel > 1) {
      while (jobs.size >= 2 * pool.parallel) await Promise.race(jobs);
      const task = { kind: 'page' as const, shared, entry: j.s, markdown: from.markdown, svgs: from.svgs };
      const p = pool.run<string>(task, { onWorker: from.markdown.length > BIG_PAGE }).then(finish);
      const tracked = p.finally(() => jobs.delete(tracked));
      tracked.catch(() => {}); // its error surfaces where it is awaited (race, or all below), not as unhandled
      jobs.add(tracked);
    } else await finish(site.reportMain(shared, j.s, from.markdown, new Map(Object.entries(from.svgs))));
  }
  await Promise.all(jobs);
  progress('site', all.length, all.length);
  for (const locale of config.locales) await sink.put(indexPath(locale, config.defaultLocale), site.indexPage(shared, siteEntries, locale));
  for (const [rel, text] of site.staticFiles(ctx.css)) await sink.put(rel, text);
}
