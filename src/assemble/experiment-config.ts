/**
 * `experiment.yaml`: what no artifact file says (title and goal per locale, the baseline run, run
 * labels, explicit pairings, launch commands, facts about the machine). Schema-validated: unknown
 * keys are warned about and ignored, wrong types are errors with a JSON pointer and a line, and the
 * experiment still builds from its files.
 */
import { isMap, LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { messages } from '../messages.js';
import { CHART_KINDS, type ExperimentConfig, type Message } from '../model.js';
import { sloFrom, sloSchema } from './slo.js';

const localized = z.union([z.string().min(1), z.record(z.string().min(1))]);

const runEntry = z
  .object({
    label: localized,
    serverLog: z.string().min(1),
    environment: z.string().min(1),
    launch: z.string().min(1),
    gpus: z.number().int().positive(),
  })
  .partial();

const schema = z.object({
  title: localized.optional(),
  goal: localized.optional(),
  baseline: z.string().min(1).optional(),
  runs: z.record(runEntry).optional(),
  // A fact's value is the same in every locale, or one per locale ({zh: …, en: …}).
  facts: z.record(z.union([z.string(), z.number(), z.boolean(), z.record(z.string())])).optional(),
  // The README's section: which charts, by kind, in order.
  readme: z.object({ charts: z.array(z.enum(CHART_KINDS)) }).strict().optional(),
  slo: sloSchema.optional(),
});

const TOP_KEYS = new Set(Object.keys(schema.shape));
const RUN_KEYS = new Set(Object.keys(runEntry.shape));

function toPointer(path: (string | number)[]): string {
  return path.length ? '/' + path.map((p) => String(p).replace(/~/g, '~0').replace(/\//g, '~1')).join('/') : '';
}

function perLocale(v: string | Record<string, string> | undefined): Record<string, string> {
  if (v === undefined) return {};
  return typeof v === 'string' ? { default: v } : { ...v };
}

/** Reads experiment.yaml text. `file` names it in messages. Never throws. */
export function readExperimentConfig(text: string, file: string): { config: ExperimentConfig | null; messages: Message[] } {
  const out: Message[] = [];
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: false });
  if (doc.errors.length > 0) {
    for (const err of doc.errors) {
      const line = err.linePos?.[0]?.line;
      const m = messages.configError(file, '', `not valid YAML: ${err.message.split('\n')[0]}`);
      if (line !== undefined) m.line = line;
      out.push(m);
    }
    return { config: null, messages: out };
  }
  const value: unknown = doc.toJS();
  if (value === null || value === undefined) return { config: null, messages: out };
  const lineAt = (path: (string | number)[]): number | undefined => {
    const node = doc.getIn(path, true) as { range?: [number, number, number] } | undefined;
    const offset = node?.range?.[0];
    return offset === undefined ? undefined : lineCounter.linePos(offset).line;
  };
  if (!isMap(doc.contents)) {
    out.push(messages.configError(file, '', 'expected a mapping of keys (title, goal, baseline, runs, facts, readme, slo)'));
    return { config: null, messages: out };
  }
  const obj = value as Record<string, unknown>;
  for (const key of Object.keys(obj)) {
    if (!TOP_KEYS.has(key)) out.push(withLine(messages.configUnknownKey(file, toPointer([key]), key), lineAt([key])));
  }
  const runs = obj['runs'];
  if (runs && typeof runs === 'object' && !Array.isArray(runs)) {
    for (const [name, entry] of Object.entries(runs as Record<string, unknown>)) {
      if (entry && typeof entry === 'object' && !Array.isArray(entry)) {
        for (const key of Object.keys(entry)) {
          if (!RUN_KEYS.has(key)) out.push(withLine(messages.configUnknownKey(file, toPointer(['runs', name, key]), key), lineAt(['runs', name, key])));
        }
      }
    }
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      out.push(withLine(messages.configError(file, toPointer(issue.path), `${issue.message} at ${toPointer(issue.path) || '/'}`), lineAt(issue.path)));
    }
    return { config: null, messages: out };
  }
  const d = parsed.data;
  return {
    config: {
      title: perLocale(d.title),
      goal: perLocale(d.goal),
      baseline: d.baseline ?? null,
      runs: Object.fromEntries(Object.entries(d.runs ?? {}).map(([k, v]) => [k, stripUndefined(v)])),
      facts: d.facts ?? {},
      readme: { charts: d.readme?.charts ?? null },
      slo: sloFrom(d.slo),
    },
    messages: out,
  };
}

function stripUndefined<T extends object>(o: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as { [K in keyof T]: Exclude<T[K], undefined> };
}

function withLine(m: Message, line: number | undefined): Message {
  if (line !== undefined) m.line = line;
  return m;
}
