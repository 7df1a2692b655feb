/**
 * One experiment, start to finish: load (every file read) → derive → render. Depends on nothing but
 * the experiment's own files and the build's context, which is what lets the build cache it and run
 * it on any render worker.
 */
import { derive } from '../assemble/derive.js';
import { keyedRuns } from '../assemble/series.js';
import { sloFor } from '../assemble/slo.js';
import { toolOf } from '../parse/registry.js';
import { staged } from '../messages.js';
import type { Message } from '../model.js';
import type { RenderedExperiment } from '../products.js';
import { renderExperiment, type RenderContext } from '../render/experiment.js';
import type { ScannedExperiment } from '../scan/scan.js';
import { withChartFonts } from './fonts.js';
import { loadExperiment } from './load.js';

/** One experiment to make: its folder, slug and the scan's messages about it. */
export interface ExperimentJob {
  scanned: ScannedExperiment;
  slug: string;
  scanMessages: Message[];
}

export async function makeExperiment(ctx: RenderContext, job: ExperimentJob): Promise<RenderedExperiment> {
  const t0 = performance.now();
  const loaded = await staged('load', () => loadExperiment(job.scanned));
  const derived = await staged('derive', () => derive(loaded.experiment));
  const keyed = keyedRuns(loaded.experiment, derived.facts, toolOf, sloFor(loaded.experiment, ctx.slo));
  const ingestMs = performance.now() - t0;
  const rendered = await staged('render', () => withChartFonts((fonts) => renderExperiment(ctx, loaded, derived, job.slug, job.scanMessages, fonts, keyed)));
  rendered.stats.ingestMs = ingestMs;
  return rendered;
}
