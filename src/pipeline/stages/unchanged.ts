/**
 * Nothing changed since the last finished build and its outputs are untouched: every output is kept
 * and no later stage but the PDFs' check and the clean-up runs.
 */
import { pdfPath, SITE_FONT, sitePagePath } from '../../layout.js';
import type { ExperimentEntry } from '../../products.js';
import type { BuildState } from '../state.js';

export function keepUnchanged(state: BuildState): boolean {
  const { cache, sink, plan, ctx } = state;
  if (!cache || cache.global !== state.globalKey) return false;
  const entries = plan.map((p) => cache.experiment(p.scanned.id, p.key));
  const outputs = cache.outputs();
  if (!entries.every((e): e is ExperimentEntry => e !== null) || !cache.intact(outputs)) return false;
  for (const rel of outputs) sink.keep(rel);
  state.entries = entries;
  state.sitePages = plan.flatMap((p) => ctx.config.locales.map((l) => ({ html: sitePagePath(p.slug, l), pdf: pdfPath(p.slug, l) })));
  state.fontKey = cache.keyOf(SITE_FONT) ?? '';
  state.noop = true;
  return true;
}
