/**
 * 3. Overview: the views across experiments — series of each configuration over time, their
 * regressions, the best configuration per model and hardware — made from every experiment's keyed
 * runs (its entry keeps them, so no experiment is read again). Where nothing spans two
 * experiments there is no overview, and nothing is written.
 */
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
    .map((e) => [e.id, { slug: e.slug, date: Object.values(e.readme)[0]?.date ?? '', titles: Object.fromEntries(Object.entries(e.readme).map(([l, r]) => [l, r.title])) }]);
  // On a render worker where the build has them: the charts' libraries and font stay out of this thread.
  const pool = state.pool?.current ?? null;
  const task = { kind: 'overview' as const, ctx: ctx.render, overview, threshold: ctx.config.regressionThreshold, reports };
  const rendered =
    pool !== null && pool.parallel > 1
      ? await pool.run<RenderedOverview>(task)
      : await (await import('../overview.js')).makeOverview(task.ctx, overview, task.threshold, new Map(reports));
  for (const [rel, content] of Object.entries(rendered.files)) await sink.put(rel, content);
  state.overview = rendered;
  state.stats.charts += Object.keys(rendered.svgs).length;
}
