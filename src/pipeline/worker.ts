/**
 * A render worker (worker_threads): makes whole experiments and the <main> of site pages for the build's pool
 * (pool.ts). Holds no state between tasks but the loaded libraries and compiled templates.
 */
import { parentPort } from 'node:worker_threads';
import { reasonOf } from '../messages.js';
import type { SiteEntry } from '../products.js';
import type { KeptCharts } from '../render/charts/draw.js';
import type { RenderContext } from '../render/experiment.js';
import { reportMain, type SiteShared } from '../render/html/site.js';
import { makeExperiment, type ExperimentJob } from './experiment.js';
import { makeOverview } from './overview.js';
import type { Overview } from '../assemble/overview.js';
import type { ReportRef } from '../render/overview.js';

export type Task =
  | { kind: 'experiment'; ctx: RenderContext; job: ExperimentJob }
  | { kind: 'page'; shared: SiteShared; entry: SiteEntry; markdown: string; svgs: Record<string, string> }
  | { kind: 'overview'; ctx: RenderContext; overview: Overview; threshold: number; reports: [string, ReportRef][]; kept: KeptCharts };

export async function perform(task: Task): Promise<unknown> {
  if (task.kind === 'experiment') return makeExperiment(task.ctx, task.job);
  if (task.kind === 'overview') return makeOverview(task.ctx, task.overview, task.threshold, new Map(task.reports), task.kept);
  return reportMain(task.shared, task.entry, task.markdown, new Map(Object.entries(task.svgs)));
}

// Tasks in turn: the pool sends the next before this one is done (pool.ts DEPTH).
let turn: Promise<void> = Promise.resolve();
parentPort?.on('message', (msg: { id: number; task: Task }) => {
  turn = turn.then(() =>
    perform(msg.task).then(
      (result) => parentPort?.postMessage({ id: msg.id, result }),
      (e: unknown) => parentPort?.postMessage({ id: msg.id, error: reasonOf(e) }),
    ),
  );
});
