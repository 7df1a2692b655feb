/**
 * What an input format is: one definition, in one file under src/parse/formats/, that says
 * everything about it — its id, what it yields, how it recognises a file, how it parses one, where
 * each headline figure comes from and how its tool defines its metrics. The registry
 * (src/parse/registry.ts) finds every definition in that folder; nothing else lists formats.
 *
 * A format's id is typed: its definition file adds it to the model's id registry for what it
 * yields (RunFormats, EnvironmentKinds, AccuracyFormats in model.ts) by module augmentation:
 *
 *   declare module '../../model.js' { interface RunFormats { 'my-tool-json': true } }
 */
import type { Definition, FormatFacts, Localized, MetricName, Provenance, ProvenanceField } from '../model.js';
import type { Json } from './json.js';
import type { Parsed } from './types.js';

/** The part of the model a format fills. */
export type Yields = 'runs' | 'server-logs' | 'environment' | 'accuracy';

interface FormatBase {
  id: string;
  /** What a reader calls it, per locale where words differ (never the id: ids are not for readers). */
  name: Localized;
  yields: Yields;
  /**
   * Where the format stands among those of its input: JSON goes to the first (lowest `order`) whose
   * `claims` accepts it; text goes to every text format that claims it, in this order (one capture
   * may paste several outputs; the first environment section found names the capture's kind).
   */
  order: number;
  /** One line for the docs: the tool and the files it writes. */
  describes: string;
  /** The tool versions (and layouts) the format was checked against, for the README's formats table. */
  checkedOn: Localized;
  /** For formats that yield runs: the load generator that wrote the file (`vllm`, `sglang`, `guidellm`, …), in `inspect --json` as each run's `tool`. */
  tool?: string;
  /** For formats that yield runs: the source fields (or formula) behind each headline figure, in the unit the report shows. */
  provenance?: Readonly<Record<ProvenanceField, Provenance>>;
  /** How the tool defines the metrics it reports (METRICS.md). */
  metrics?: Readonly<Partial<Record<MetricName, Localized>>>;
  /**
   * A short id per metric of how the tool computes the figure benchbook files under that name (see
   * DEFINITIONS in model.ts); runs whose ids differ for a metric are compared with a note.
   */
  definitions?: Readonly<Partial<Record<MetricName, Definition>>>;
}

/** A record of a file holding several (a JSON array, or JSON Lines). */
export interface JsonRecord {
  value: Json;
  /** 1-based line in JSON Lines; null in an array. */
  line: number | null;
}

export interface JsonFormat extends FormatBase {
  input: 'json';
  /** Looks at the parsed value only, never at the file name. */
  claims(value: Json): boolean;
  parse(value: Json, file: string): Parsed;
  /** Files of several records of this format: a JSON array, JSON Lines, or either (`shapes`). */
  records?: {
    shapes: readonly ('array' | 'lines')[];
    claims(values: Json[]): boolean;
    parse(records: JsonRecord[], file: string): Parsed;
  };
}

/**
 * A parse of a whole file that also hands back "the rest": the text the other text formats read,
 * and the 1-based line in the file of each of its lines (the rest leaves out what the whole-file
 * format read alone).
 */
export interface WithRest {
  parsed: Parsed;
  rest: string;
  lines: readonly number[];
}

export interface TextFormat extends FormatBase {
  input: 'text';
  /** Looks at the text, never at the file name. */
  claims(text: string): boolean;
  /** Every occurrence in the text. */
  parse(text: string, file: string): Parsed;
  /**
   * Formats whose files can be larger than memory should hold (server logs): read from bytes or
   * streamed from disk, the other text formats then reading only the rest.
   */
  whole?: {
    /** Whether a file starting with `head` (decoded, not JSON) is one. */
    looksLike(head: string): boolean;
    /** Why a file that starts like one is still not recognised, when nothing in it was. */
    none: string;
    /** `strip` takes off what is wrapped around each line (see unwrap.ts), found from the file's head. */
    fromBytes(bytes: Buffer, file: string, strip: (line: string) => string): WithRest;
    fromFile(path: string, file: string, strip: (line: string) => string): Promise<WithRest>;
  };
}

export type FormatDefinition = JsonFormat | TextFormat;

/** Identity, typed: what a definition file exports as its default. */
export function defineFormat<F extends FormatDefinition>(definition: F): F {
  return definition;
}

export function factsOfDefinition(d: FormatDefinition | undefined): FormatFacts {
  return { name: d?.name ?? d?.id ?? '', provenance: d?.provenance ?? null, metrics: d?.metrics ?? {}, definitions: d?.definitions ?? {} };
}
