/**
 * Nothing changed since the last finished build and its outputs are untouched: every output is kept
 * and no later stage but the PDFs' check and the clean-up runs.
 */
import { OVERVIEW_SLUG, pdfPath, SITE_FONT, sitePagePath } from '../../layout.js';
import { overviewKeyPath } from './overview.js';
import type { ExperimentEntry } from '../../products.js';
import { mainKeyOf, type BuildState } from '../state.js';

export function keepUnchanged(state: BuildState): boolean {
  const { cache, sink, plan, ctx } = state;
  if (!cache || cache.global !== state.globalKey) return false;
  const entries = plan.map((p) => cache.experiment(p.scanned.id, p.key));
  const outputs = cache.outputs();
  if (!entries.every((e): e is ExperimentEntry => e !== null) || !cache.intact(outputs)) return false;
  for (const rel of outputs) sink.keep(rel);
  state.entries = entries;
  const slugs = [...(ctx.config.locales.some((l) => outputs.includes(sitePagePath(OVERVIEW_SLUG, l))) ? [OVERVIEW_SLUG] : []), ...plan.map((p) => p.slug)];
  state.sitePages = slugs.flatMap((slug) => ctx.config.locales.map((l) => ({ html: sitePagePath(slug, l), pdf: pdfPath(slug, l), mainKey: mainKeyOf(cache.keyOf(sitePagePath(slug, l))) })));
  state.fontKey = cache.keyOf(SITE_FONT) ?? '';
  // The overview's product stays in the cache with the key its report records.
  state.overviewKey = cache.keyOf(overviewKeyPath(ctx.config.defaultLocale)) ?? '';
  state.noop = true;
  return true;
}
