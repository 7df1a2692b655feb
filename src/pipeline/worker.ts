/**
 * A render worker (worker_threads): renders whole experiments and site pages for the build's pool
 * (render/pool.ts). Holds no state between tasks but the loaded libraries and compiled templates.
 */
import { parentPort } from 'node:worker_threads';
import type { Message } from '../model.js';
import type { ScannedExperiment } from '../scan/scan.js';
import { renderExperiment, type RenderContext } from './experiment.js';
import { reportPage, type SiteEntry, type SiteShared } from './html/site.js';

export type Task =
  | { kind: 'experiment'; ctx: RenderContext; scanned: ScannedExperiment; slug: string; scanMessages: Message[] }
  | { kind: 'page'; shared: SiteShared; nav: SiteEntry[]; entry: SiteEntry; markdown: string; svgs: Record<string, string> };

export async function perform(task: Task): Promise<unknown> {
  if (task.kind === 'experiment') {
    const p = await renderExperiment(task.ctx, task.scanned, task.slug, task.scanMessages);
    return { entry: p.entry, pages: p.pages, files: [...p.files], charts: p.charts, timings: p.timings };
  }
  return reportPage(task.shared, task.nav, task.entry, task.markdown, new Map(Object.entries(task.svgs)));
}

parentPort?.on('message', (msg: { id: number; task: Task }) => {
  perform(msg.task).then(
    (result) => parentPort?.postMessage({ id: msg.id, result }),
    (e: unknown) => parentPort?.postMessage({ id: msg.id, error: e instanceof Error ? (e.stack ?? e.message) : String(e) }),
  );
});
