/**
 * A render worker (worker_threads): makes whole experiments and the <main> of site pages for the build's pool
 * (pool.ts). Holds no state between tasks but the loaded libraries, compiled templates and the
 * chart font subset the main thread last sent it.
 */
import { parentPort } from 'node:worker_threads';
import { reasonOf } from '../messages.js';
import type { SiteEntry } from '../products.js';
import type { KeptCharts } from '../render/charts/draw.js';
import type { RenderContext } from '../render/experiment.js';
import type { SiteShared } from '../render/html/site.js';
import type { ExperimentJob } from './experiment.js';
import type { Overview } from '../assemble/overview.js';
import type { ReportRef } from '../render/overview.js';

export type Task =
  | { kind: 'experiment'; ctx: RenderContext; job: ExperimentJob }
  | { kind: 'page'; shared: SiteShared; entry: SiteEntry; markdown: string; svgs: Record<string, string> }
  | { kind: 'overview'; ctx: RenderContext; overview: Overview; threshold: number; reports: [string, ReportRef][]; kept: KeptCharts };

/**
 * Runs one task. Each kind loads only its own modules, so that a worker that makes site pages
 * alone never holds the chart libraries or the font subsetter.
 */
export async function perform(task: Task): Promise<unknown> {
  if (task.kind === 'page') return (await import('../render/html/site.js')).reportMain(task.shared, task.entry, task.markdown, new Map(Object.entries(task.svgs)));
  await fontsFromMainThread();
  if (task.kind === 'experiment') return (await import('./experiment.js')).makeExperiment(task.ctx, task.job);
  return (await import('./overview.js')).makeOverview(task.ctx, task.overview, task.threshold, new Map(task.reports), task.kept);
}

/** A worker's request for a chart font subset holding `text`, and the main thread's answer (pool.ts). */
export interface FontAsk {
  font: number;
  text: string;
}
export type FontAnswer = { font: number; bytes: Uint8Array } | { font: number; error: string };

/** Font subsets asked of the main thread, by number, until it answers. */
const asked = new Map<number, { resolve: (b: Buffer) => void; reject: (e: Error) => void }>();
let fontsFromMain = false;
let nextFont = 0;

/** In a worker (not when the main thread runs a task itself), chart fonts are subset by the main thread, for every renderer. */
async function fontsFromMainThread(): Promise<void> {
  const port = parentPort;
  if (fontsFromMain || port === null) return;
  fontsFromMain = true;
  (await import('./fonts.js')).takeChartFontsFrom(
    (text) =>
      new Promise<Buffer>((resolve, reject) => {
        const font = nextFont++;
        asked.set(font, { resolve, reject });
        port.postMessage({ font, text } satisfies FontAsk);
      }),
  );
}

// Tasks in turn: the pool sends the next before this one is done (pool.ts DEPTH).
let turn: Promise<void> = Promise.resolve();
parentPort?.on('message', (msg: { id: number; task: Task } | FontAnswer) => {
  if ('font' in msg) {
    const waiting = asked.get(msg.font);
    asked.delete(msg.font);
    if ('bytes' in msg) waiting?.resolve(Buffer.from(msg.bytes.buffer, msg.bytes.byteOffset, msg.bytes.byteLength));
    else waiting?.reject(new Error(msg.error));
    return;
  }
  turn = turn.then(() =>
    perform(msg.task).then(
      (result) => parentPort?.postMessage({ id: msg.id, result }),
      (e: unknown) => parentPort?.postMessage({ id: msg.id, error: reasonOf(e) }),
    ),
  );
});
