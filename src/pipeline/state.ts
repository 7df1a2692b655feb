/**
 * What a build's stages share: made by `openBuild`, filled in stage by stage, read by the next.
 */
import type { BuildCache } from '../cache.js';
import type { Message } from '../model.js';
import type { ExperimentEntry, ExperimentPages } from '../products.js';
import type { RenderedOverview } from '../render/overview.js';
import type { ScannedExperiment } from '../scan/scan.js';
import type { Sink } from '../write/write.js';
import type { BuildContext } from './context.js';
import type { ExperimentJob } from './experiment.js';
import type { RenderPool } from './pool.js';
import type { ProgressFn } from './stages.js';

export interface BuildStats {
  experiments: number;
  /** Experiments rendered this time (the rest came from the cache). */
  rendered: number;
  charts: number;
  chartMs: number;
  pages: number;
  /** Site pages framed again around their kept <main>: their sidebar alone changed. */
  framed: number;
  /** Bytes of artifact files read by the experiments rendered. */
  bytesRead: number;
  ingestMs: number;
  /** Render workers that stopped (out of their heap, see pool.ts workerHeapMb); their tasks ran again in the main thread. */
  workersLost: number;
}

/** One experiment of the build: its job, and the key of everything it is made from ('' without a cache). */
export interface Planned extends ExperimentJob {
  scanned: ScannedExperiment;
  key: string;
}

export interface BuildState {
  ctx: BuildContext;
  sink: Sink;
  cache: BuildCache | null;
  /** Whether the site links to PDFs (a browser was found). */
  withPdf: boolean;
  progress: ProgressFn;
  /** Render pools, or none (everything in this thread). */
  pool: PoolSource | null;
  /** Messages about the artifacts folder itself (the scan's), and the key of the whole build. */
  scanMessages: Message[];
  plan: Planned[];
  globalKey: string;
  /** Each planned experiment's entry, in plan order. */
  entries: ExperimentEntry[];
  /** Pages of the experiments rendered this time, by id, when there is no cache to keep them. */
  pages: Map<string, ExperimentPages>;
  /** The overview across experiments, when the build made one (null: nothing spans two experiments). */
  overview: RenderedOverview | null;
  /** The key of everything the overview was made from ('' without one). */
  overviewKey: string;
  /** Site report pages produced or kept, with their PDFs and the key of their <main> (what the PDF prints). */
  sitePages: { html: string; pdf: string; mainKey: string }[];
  fontKey: string;
  stats: BuildStats;
  timings: Record<string, number>;
  /** Nothing had changed: the previous build's outputs were all kept. */
  noop: boolean;
}

/** The build's render pool: one for `work` experiments' worth of rendering, kept once it has workers. */
export interface PoolSource {
  get(work: number): RenderPool;
  /**
   * A pool for `work` with workers of its own, those of the one before stopped first; or, for too
   * little work to start a worker for, the pool there is.
   */
  fresh(work: number): Promise<RenderPool>;
  /** The pool made last, if any. */
  readonly current: RenderPool | null;
  /** Workers of its pools that stopped before closing. */
  readonly lost: number;
  close(): Promise<void>;
}

export function newState(ctx: BuildContext, sink: Sink, options: Pick<BuildState, 'cache' | 'withPdf' | 'progress' | 'pool'>): BuildState {
  return {
    ctx,
    sink,
    ...options,
    scanMessages: [],
    plan: [],
    globalKey: '',
    entries: [],
    pages: new Map(),
    overview: null,
    overviewKey: '',
    sitePages: [],
    fontKey: '',
    stats: { experiments: 0, rendered: 0, charts: 0, chartMs: 0, pages: 0, framed: 0, bytesRead: 0, ingestMs: 0, workersLost: 0 },
    timings: {},
    noop: false,
  };
}

/** A site page's key: that of its `<main>` (what it shows of its report) and that of its sidebar. */
export function pageKeyOf(mainKey: string, navKey: string): string {
  return `${mainKey} ${navKey}`;
}

/** The key of the `<main>` a page was made with, from the page's key (pageKeyOf). */
export function mainKeyOf(pageKey: string | undefined): string {
  return pageKey?.split(' ')[0] ?? '';
}

/** Every message of the build: the config's, the scan's and each experiment's. */
export function messagesOf(state: BuildState): Message[] {
  return [...state.ctx.configMessages, ...state.scanMessages, ...state.entries.flatMap((e) => e.messages)];
}
