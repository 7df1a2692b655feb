/**
 * 3. Overview: the views across experiments — series of each configuration over time, their
 * regressions, the best configuration per model and hardware — made from every experiment's keyed
 * runs (its entry keeps them, so no experiment is read again). Where nothing spans two
 * experiments there is no overview, and nothing is written.
 */
import { sha256 } from '../../cache.js';
import { OVERVIEW_SLUG, reportPath } from '../../layout.js';
import type { ReportRef, RenderedOverview } from '../../render/overview.js';
import type { BuildState } from '../state.js';

export async function overviewStage(state: BuildState): Promise<void> {
  const { ctx, sink } = state;
  const { seriesFrom } = await import('../../assemble/series.js');
  const { overviewOf } = await import('../../assemble/overview.js');
  const keyed = state.entries.flatMap((e) => e?.keyed ?? []);
  const overview = overviewOf(keyed, seriesFrom(keyed, ctx.config.regressionThreshold));
  if (overview === null) {
    state.overview = null;
    return;
  }
  const reports: [string, ReportRef][] = state.entries
    .filter((e) => e !== undefined)
    .map((e) => [e.id, { slug: e.slug, date: Object.values(e.readme)[0]?.date ?? '' }]);
  // The same overview, reports, templates, config and benchbook (the stamp) as the last build: its
  // outputs are kept, nothing is drawn. The key is recorded on its report, for a no-op build to keep.
  const key = sha256(ctx.stamp, JSON.stringify(overview), JSON.stringify(reports));
  state.overviewKey = key;
  state.cache?.setKey(overviewKeyPath(ctx.config.defaultLocale), key);
  const kept = (await state.cache?.loadProduct<RenderedOverview & { outputs: string[] }>(key)) ?? null;
  if (kept && state.cache?.intact(kept.outputs)) {
    for (const rel of kept.outputs) sink.keep(rel);
    state.overview = { ...kept, files: {} };
    return;
  }
  // Through the build's pool where it has one (a worker, or this thread).
  const pool = state.pool?.current ?? null;
  const task = { kind: 'overview' as const, ctx: ctx.render, overview, threshold: ctx.config.regressionThreshold, reports };
  const rendered = pool !== null ? await pool.run<RenderedOverview>(task) : await (await import('../overview.js')).makeOverview(task.ctx, overview, task.threshold, new Map(reports));
  for (const [rel, content] of Object.entries(rendered.files)) await sink.put(rel, content);
  state.overview = rendered;
  await state.cache?.saveProduct(key, { ...rendered, files: {}, outputs: Object.keys(rendered.files).sort() });
  state.stats.charts += Object.keys(rendered.svgs).length;
}

/** The output the overview's key is recorded on: its report in the default locale. */
export function overviewKeyPath(defaultLocale: string): string {
  return reportPath(OVERVIEW_SLUG, defaultLocale);
}
