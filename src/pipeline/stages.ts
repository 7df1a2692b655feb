/**
 * The build's stages, in order: the one list the build, its progress line and the docs
 * (docs/architecture.md, checked by a test) name them from. Light: the CLI loads it for progress.
 */
export const STAGES = [
  { id: 'scan', label: 'scanning', does: 'artifacts/ → experiment folders, each keyed by the content of its files' },
  { id: 'experiments', label: 'experiments', does: 'each experiment the cache lacks: load → derive → render (charts, reports)' },
  { id: 'overview', label: 'overview', does: 'series of each configuration across experiments, regressions, the best per model and hardware' },
  { id: 'readme', label: 'README', does: 'the README per locale from every experiment’s entry' },
  { id: 'site', label: 'site pages', does: 'a page per report per locale (its `<main>` rendered on the pool; a page whose sidebar alone changed is framed again around the `<main>` it has), the indexes, the CSS' },
  { id: 'font', label: 'font', does: 'one font subset for every page' },
  { id: 'pdf', label: 'PDFs', does: 'a PDF of every site page whose `<main>`, font or CSS changed, through one browser' },
  { id: 'clean', label: 'clean-up', does: 'owned files no longer made are removed; the cache index is saved last' },
] as const;

export type Stage = (typeof STAGES)[number]['id'];

/** Called as a build goes: `done` of `total` units of `stage`. */
export type ProgressFn = (stage: Stage, done: number, total: number) => void;

export const STAGE_LABELS = Object.fromEntries(STAGES.map((s) => [s.id, s.label])) as Record<Stage, string>;
