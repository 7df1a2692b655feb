/**
 * 3. Overview: the views across experiments — series of each configuration over time, their
 * regressions, the best configuration per model and hardware — made from every experiment's keyed
 * runs (its entry keeps them, so no experiment is read again). Where nothing spans two
 * experiments there is no overview, and nothing is written.
 */
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
  const { renderOverview } = await import('../../render/overview.js');
  const { withChartFonts } = await import('../fonts.js');
  const reports = new Map(
    state.entries.filter((e) => e !== undefined).map((e) => [e.id, { slug: e.slug, date: Object.values(e.readme)[0]?.date ?? '', titles: Object.fromEntries(Object.entries(e.readme).map(([l, r]) => [l, r.title])) }]),
  );
  const rendered = await withChartFonts((fonts) => renderOverview(ctx.render, overview, ctx.config.regressionThreshold, reports, fonts));
  for (const [rel, content] of Object.entries(rendered.files)) await sink.put(rel, content);
  state.overview = rendered;
  state.stats.charts += Object.keys(rendered.svgs).length;
}
