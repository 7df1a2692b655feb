/**
 * The overview across experiments, start to finish on whatever thread runs it: rendered
 * (render/overview.ts) with chart fonts of its own, taking the charts `kept` holds as they are.
 * Depends on nothing but what it is handed, so a render worker can make it.
 */
import type { Overview } from '../assemble/overview.js';
import type { KeptCharts } from '../render/charts/draw.js';
import type { RenderContext } from '../render/experiment.js';
import type { RenderedOverview, ReportRef } from '../render/overview.js';

export async function makeOverview(ctx: RenderContext, overview: Overview, threshold: number, reports: ReadonlyMap<string, ReportRef>, kept: KeptCharts): Promise<RenderedOverview> {
  const { renderOverview } = await import('../render/overview.js');
  const { withChartFonts } = await import('./fonts.js');
  return withChartFonts((fonts) => renderOverview(ctx, overview, threshold, reports, fonts, kept));
}
