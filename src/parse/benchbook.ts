/**
 * benchbook's own formats, for figures that no tool file holds (e.g. transcribed from a published
 * table) and for custom accuracy suites. Documented in README "Own formats".
 *
 * - runs JSON:      {"benchbook": "runs", "source": "...", "runs": [{<Run fields>}]}
 * - accuracy JSON:  {"benchbook": "accuracy", "source": "...", "results": [{task, variant, model, correct, total, value}]}
 * - questions JSONL: one {"id", "question", "expected", "answer", "correct"} per line (+ optional task, variant, model)
 */
import { z } from 'zod';
import { messages } from '../messages.js';
import type { Accuracy, AccuracyTask, Message, Stat } from '../model.js';
import { escapePointer, isObject, type Json } from './json.js';
import { emptyParsed, emptyStat, newRun, type JsonParser, type Parsed } from './types.js';

const count = z.number().int().nonnegative();
const positive = z.number().finite().nonnegative();
const stat = z
  .object({
    mean: positive.nullable(),
    p50: positive.nullable(),
    p90: positive.nullable(),
    p95: positive.nullable(),
    p99: positive.nullable(),
    min: positive.nullable(),
    max: positive.nullable(),
  })
  .partial()
  .strict();

const runSchema = z
  .object({
    label: z.string(),
    model: z.string(),
    concurrency: count,
    requests: count,
    completed: count,
    failed: count,
    maxTokens: count,
    requestRate: positive,
    durationS: positive,
    requestThroughput: positive,
    inputTokenThroughput: positive,
    outputTokenThroughput: positive,
    totalTokenThroughput: positive,
    inputTokensMean: positive,
    outputTokensMean: positive,
    latencyMs: stat,
    ttftMs: stat,
    tpotMs: stat,
    itlMs: stat,
    metadata: z.record(z.string()),
  })
  .partial()
  .strict();

const runsSchema = z
  .object({ benchbook: z.literal('runs'), version: z.literal(1).optional(), source: z.string().min(1), runs: z.array(runSchema) })
  .strict();

const accuracySchema = z
  .object({
    benchbook: z.literal('accuracy'),
    version: z.literal(1).optional(),
    source: z.string().min(1),
    model: z.string().optional(),
    results: z.array(
      z
        .object({
          task: z.string().min(1),
          metric: z.string().optional(),
          variant: z.string().optional(),
          model: z.string().optional(),
          correct: count.optional(),
          total: count.optional(),
          value: z.number().finite().optional(),
          stderr: z.number().finite().optional(),
        })
        .strict()
        .refine((r) => r.value !== undefined || (r.correct !== undefined && r.total !== undefined && r.total > 0), {
          message: 'needs "value", or "correct" and a non-zero "total"',
        })
        .refine((r) => r.correct === undefined || r.total === undefined || r.correct <= r.total, {
          message: '"correct" is larger than "total"',
        }),
    ),
  })
  .strict();

export function zodMessages(file: string, error: z.ZodError): Message[] {
  return error.issues.map((issue) => {
    const pointer = issue.path.length ? '/' + issue.path.map((p) => escapePointer(String(p))).join('/') : '';
    return messages.schema(file, pointer, issue.message);
  });
}

export const benchbookRuns: JsonParser = {
  claims: (v: Json) => isObject(v) && v['benchbook'] === 'runs',
  parse(value: Json, file: string): Parsed {
    const out = emptyParsed();
    out.formats.push('benchbook-runs');
    const parsed = runsSchema.safeParse(value);
    if (!parsed.success) {
      out.messages.push(...zodMessages(file, parsed.error));
      return out;
    }
    parsed.data.runs.forEach((r, index) => {
      const run = newRun(file, index, 'benchbook-runs');
      const { label, latencyMs, ttftMs, tpotMs, itlMs, metadata, ...figures } = r;
      Object.assign(run, figures);
      const full = (s: typeof latencyMs): Stat | null => {
        if (!s) return null;
        const stat = emptyStat();
        for (const k of Object.keys(stat) as (keyof Stat)[]) stat[k] = s[k] ?? null;
        return stat;
      };
      run.latencyMs = full(latencyMs);
      run.ttftMs = full(ttftMs);
      run.tpotMs = full(tpotMs);
      run.itlMs = full(itlMs);
      run.metadata = { ...(metadata ?? {}), source: parsed.data.source };
      if (label) run.metadata['label'] = label;
      out.runs.push(run);
    });
    return out;
  },
};

export const benchbookAccuracy: JsonParser = {
  claims: (v: Json) => isObject(v) && v['benchbook'] === 'accuracy',
  parse(value: Json, file: string): Parsed {
    const out = emptyParsed();
    out.formats.push('benchbook-accuracy');
    const parsed = accuracySchema.safeParse(value);
    if (!parsed.success) {
      out.messages.push(...zodMessages(file, parsed.error));
      return out;
    }
    const tasks: AccuracyTask[] = parsed.data.results.map((r) => ({
      task: r.task,
      metric: r.metric ?? 'accuracy',
      value: r.value ?? (r.correct ?? 0) / (r.total ?? 1),
      stderr: r.stderr ?? null,
      correct: r.correct ?? null,
      total: r.total ?? null,
      variant: r.variant ?? r.model ?? null,
    }));
    out.accuracy.push({ file, format: 'benchbook-accuracy', model: parsed.data.model ?? null, tasks });
    return out;
  },
};

const questionSchema = z.object({
  id: z.union([z.string(), z.number()]),
  question: z.string(),
  expected: z.unknown(),
  answer: z.unknown(),
  correct: z.boolean(),
  task: z.string().optional(),
  variant: z.string().optional(),
  model: z.string().optional(),
});

export function claimsQuestions(records: Json[]): boolean {
  const looking = records.filter((r) => isObject(r) && 'question' in r && ('correct' in r || 'answer' in r));
  return records.length > 0 && looking.length * 2 >= records.length;
}

/** Aggregates per-question records (one JSONL line each) into correct/total per task and variant. */
export function parseQuestions(records: { value: Json; line: number }[], file: string): Parsed {
  const out = emptyParsed();
  out.formats.push('benchbook-questions');
  const groups = new Map<string, { task: string; variant: string | null; correct: number; total: number; ids: Set<string> }>();
  let model: string | null = null;
  // Keys a record may carry beyond these (a grader's notes, timings) are not read: named once, at their first line.
  const unread = new Map<string, number>();
  for (const { value, line } of records) {
    if (isObject(value)) for (const k of Object.keys(value)) if (!(k in questionSchema.shape) && !unread.has(k)) unread.set(k, line);
    const r = questionSchema.safeParse(value);
    if (!r.success) {
      out.messages.push(messages.badJsonl(file, line, r.error.issues.map((i) => `${i.path.join('.') || 'record'}: ${i.message}`).join('; ')));
      continue;
    }
    const task = r.data.task ?? 'questions';
    const variant = r.data.variant ?? r.data.model ?? null;
    model = r.data.model ?? model;
    const key = `${task}\u0000${variant ?? ''}`;
    const g = groups.get(key) ?? { task, variant, correct: 0, total: 0, ids: new Set<string>() };
    const id = String(r.data.id);
    if (g.ids.has(id)) {
      out.messages.push(messages.badJsonl(file, line, `question id ${JSON.stringify(id)} repeats; the repeat is not counted`));
      continue;
    }
    g.ids.add(id);
    g.total++;
    if (r.data.correct) g.correct++;
    groups.set(key, g);
  }
  const tasks: AccuracyTask[] = [...groups.values()].map((g) => ({
    task: g.task,
    metric: 'accuracy',
    value: g.correct / g.total,
    stderr: null,
    correct: g.correct,
    total: g.total,
    variant: g.variant,
  }));
  if (unread.size > 0) out.messages.push(messages.unknownFields(file, { line: Math.min(...unread.values()) }, [...unread.keys()]));
  const acc: Accuracy = { file, format: 'benchbook-questions', model, tasks };
  if (tasks.length > 0) out.accuracy.push(acc);
  return out;
}
