/**
 * What the experiment stage makes of one experiment, in one shape wherever it is made (this thread
 * or a render worker: every part is structured-clone data, so it crosses threads unchanged) and
 * kept by the cache in two parts: the small entry in the index, the pages in a file of their own.
 */
import type { KeyedRun, Message } from './model.js';

/** One report's section of the README navigation, as its template reads it (made by render/markdown/view). */
export type ReadmeSection = Readonly<Record<string, unknown>> & { readonly date: string; readonly title: string };

/** What the site needs of one report page beyond its Markdown. */
export interface SiteEntry {
  slug: string;
  locale: string;
  /** Plain-text title (sidebar, <title>). */
  title: string;
  /** The index card's content (title, facts, headlines); the index page frames it. */
  card: string;
}

/** What the README and the site index need of one experiment: small and JSON, kept in the cache index. */
export interface ExperimentEntry {
  id: string;
  slug: string;
  /** This experiment's messages, files named relative to the artifacts folder. */
  messages: Message[];
  /** Every character its charts and pages show (for the site's font subset). */
  chars: string;
  readme: Record<string, ReadmeSection>;
  site: SiteEntry[];
  /** The files it renders (reports and PNG charts), relative to the root. */
  outputs: string[];
  /** Its runs with their configuration keys: what the views across experiments (series, overview) are made from. */
  keyed: KeyedRun[];
}

/** What the site pages of one experiment are made from: its Markdown per locale and chart SVGs by image stem. */
export interface ExperimentPages {
  markdown: Record<string, string>;
  svgs: Record<string, string>;
}

/** One experiment rendered. */
export interface RenderedExperiment {
  entry: ExperimentEntry;
  pages: ExperimentPages;
  /** Output path (relative to the root) → content: its reports and PNG charts. */
  files: Record<string, Uint8Array>;
  stats: { charts: number; bytesRead: number; ingestMs: number; chartsMs: number };
}
