/**
 * 3. Overview: the views across experiments — series of each configuration over time, their
 * regressions, the best configuration per model and hardware — made from every experiment's keyed
 * runs (its entry keeps them, so no experiment is read again). Where nothing spans two
 * experiments there is no overview, and nothing is written.
 */
import { sha256 } from '../../hash.js';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { chartPng, OVERVIEW_SLUG, reportPath } from '../../layout.js';
import type { KeptCharts } from '../../render/charts/draw.js';
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
  const before = state.cache?.keyOf(overviewKeyPath(ctx.config.defaultLocale));
  state.cache?.setKey(overviewKeyPath(ctx.config.defaultLocale), key);
  const same = (await state.cache?.loadProduct<RenderedOverview & { outputs: string[] }>(key)) ?? null;
  if (same && state.cache?.intact(same.outputs)) {
    for (const rel of same.outputs) sink.keep(rel);
    state.overview = { ...same, files: {} };
    return;
  }
  // Drawn with the charts of the last build's overview that are still as it left them (one
  // experiment added redraws the trends it continues, not every one), and always with their keys,
  // so that the next build can take them; on a worker where there is one: its charts' garbage
  // (a trend per configuration, hundreds of points each) would grow this thread's heap for the
  // rest of the build, as a long page's would (site.ts).
  const kept = (before !== undefined && before !== key ? await keptCharts(state, before) : null) ?? { stamp: ctx.stamp, charts: {} };
  const pool = state.pool?.current ?? null;
  const task = { kind: 'overview' as const, ctx: ctx.render, overview, threshold: ctx.config.regressionThreshold, reports, kept };
  const rendered =
    pool !== null && pool.parallel > 1
      ? await pool.run<RenderedOverview>(task, { onWorker: true })
      : await (await import('../overview.js')).makeOverview(task.ctx, overview, task.threshold, new Map(reports), kept);
  for (const [rel, content] of Object.entries(rendered.files)) await sink.put(rel, content);
  state.overview = rendered;
  await state.cache?.saveProduct(key, { ...rendered, files: {}, outputs: Object.keys(rendered.files).sort() });
  state.stats.charts += rendered.drawn;
}

/** The charts of the overview the cache holds under `key`, each with its PNG as the cache recorded it on disk. */
async function keptCharts(state: BuildState, key: string): Promise<KeptCharts | null> {
  const { cache, ctx } = state;
  const last = (await cache?.loadProduct<RenderedOverview>(key)) ?? null;
  if (!cache || !last?.chartKeys) return null;
  const charts: Record<string, { svg: string; png: Uint8Array }> = {};
  for (const [stem, chart] of Object.entries(last.chartKeys)) {
    const svg = last.svgs[stem];
    const png = chartPng(stem);
    if (svg === undefined || !cache.intact([png])) continue;
    try {
      charts[chart] = { svg, png: await readFile(join(ctx.root, png)) };
    } catch {
      // Gone since: drawn again.
    }
  }
  return { stamp: ctx.stamp, charts };
}

/** The output the overview's key is recorded on: its report in the default locale. */
export function overviewKeyPath(defaultLocale: string): string {
  return reportPath(OVERVIEW_SLUG, defaultLocale);
}
