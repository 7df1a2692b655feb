/**
 * Printed "Serving Benchmark Result" blocks of `vllm bench serve` / `benchmark_serving.py` and of
 * SGLang's look-alike `bench_serving`, found anywhere in a longer text, several per file (a
 * sweep). A block is SGLang's when it names its `Backend:` or `Traffic request rate:` inside, or
 * says `E2E Latency` where vLLM says `E2EL`; each tool's format reads its own blocks. Lines may
 * carry padding spaces and terminal hard wraps (wrappers are taken off before, by unwrap.ts). What the block does not say (model, request count, concurrency) is read from the client's
 * `Namespace(...)` dump, its command line or the "Maximum request concurrency" line before the block.
 */
import { messages } from '../messages.js';
import { statOrNull, type Run, type Stat } from '../model.js';
import { asNumber, asString, balanced, readKeyValues } from './pyrepr.js';
import { cleanLine, parseNumber, splitLines } from './text.js';
import { emptyParsed, emptyStat, newRun, over, type Parsed, type TextParser } from './types.js';

const HEADER = /^=+ ?Serving Benchmark Result ?=+$/;
const CLOSER = /^={10,}$/;
const SECTION = /^-{3,}.*-{3,}$/;
const STAT_LINE = /^(mean|median|std|max|min|p\d+(?:\.\d+)?) (ttft|tpot|itl|e2el|e2e latency) \(ms\)$/;

/** Prepares printed lines (already unwrapped, see unwrap.ts): colours and process tags off, padding trimmed. */
function prepare(text: string): string[] {
  return splitLines(text).map((raw) => cleanLine(raw).text.trimEnd());
}

interface Context {
  model: string | null;
  requests: number | null;
  concurrency: number | null;
  requestRate: number | null;
  rateInfinite: boolean;
  maxTokens: number | null;
  /** From the client's `no_stream` argument or `--no-stream` flag; null when neither was printed. */
  streaming: boolean | null;
}

function emptyContext(): Context {
  return { model: null, requests: null, concurrency: null, requestRate: null, rateInfinite: false, maxTokens: null, streaming: null };
}

/** Joins a hard-wrapped `Namespace(` dump back into one line. */
function joinNamespace(lines: string[], i: number): { text: string; end: number } {
  let text = lines[i] ?? '';
  let end = i;
  const at = text.indexOf('Namespace(');
  while (balanced(text, at + 'Namespace'.length) === null && end + 1 < lines.length && end - i < 60) {
    end++;
    text += lines[end] ?? '';
  }
  return { text, end };
}

function readContext(lines: string[], from: number, to: number, ctx: Context): void {
  for (let i = from; i < to; i++) {
    const line = lines[i] ?? '';
    if (line.includes('Namespace(')) {
      const joined = joinNamespace(lines, i);
      const at = joined.text.indexOf('Namespace(');
      const body = balanced(joined.text, at + 'Namespace'.length);
      if (body !== null) {
        const args = readKeyValues(body);
        if (args['subparser'] === 'serve' || 'model_tag' in args) continue; // a server's args, not the client's
        ctx.model = asString(args['served_model_name']) ?? asString(args['model']) ?? ctx.model;
        ctx.requests = asNumber(args['num_prompts']) ?? ctx.requests;
        ctx.concurrency = asNumber(args['max_concurrency']) ?? ctx.concurrency;
        if (typeof args['no_stream'] === 'boolean') ctx.streaming = !args['no_stream'];
        if (typeof args['disable_stream'] === 'boolean') ctx.streaming = !args['disable_stream'];
        const rate = args['request_rate'];
        if (rate === 'inf') ctx.rateInfinite = true;
        else ctx.requestRate = asNumber(rate) ?? ctx.requestRate;
        ctx.maxTokens =
          asNumber(args['random_output_len']) !== null && args['dataset_name'] === 'random'
            ? asNumber(args['random_output_len'])
            : ctx.maxTokens;
      }
      i = joined.end;
      continue;
    }
    const mc = /^Maximum request concurrency: (\S+)/.exec(line);
    if (mc?.[1] !== undefined) {
      ctx.concurrency = mc[1] === 'None' ? null : (parseNumber(mc[1]) ?? ctx.concurrency);
      continue;
    }
    const rate = /^Traffic request rate: (\S+)/.exec(line);
    if (rate?.[1] !== undefined) {
      if (/^inf/i.test(rate[1])) ctx.rateInfinite = true;
      else ctx.requestRate = parseNumber(rate[1]) ?? ctx.requestRate;
      continue;
    }
    if (/benchmark_serving\.py|vllm bench serve|sglang\.bench_serving/.test(line)) {
      const flag = (name: string): string | null => {
        const m = new RegExp(`--${name}[ =]("[^"]*"|'[^']*'|\\S+)`).exec(line);
        return m?.[1] ? m[1].replace(/^["']|["']$/g, '') : null;
      };
      ctx.model = flag('model') ?? ctx.model;
      ctx.requests = parseNumber(flag('num-prompts') ?? '') ?? ctx.requests;
      ctx.concurrency = parseNumber(flag('max-concurrency') ?? '') ?? ctx.concurrency;
      if (/\s--(?:no-stream|disable-stream)(\s|$)/.test(line)) ctx.streaming = false;
    }
  }
}

function setStat(run: Run, metric: string, which: string, value: number): void {
  const key = metric === 'ttft' ? 'ttftMs' : metric === 'tpot' ? 'tpotMs' : metric === 'itl' ? 'itlMs' : 'latencyMs';
  const stat: Stat = run[key] ?? emptyStat();
  if (which === 'mean') stat.mean = value;
  else if (which === 'median' || which === 'p50') stat.p50 = value;
  else if (which === 'p90') stat.p90 = value;
  else if (which === 'p95') stat.p95 = value;
  else if (which === 'p99') stat.p99 = value;
  else if (which === 'max') stat.max = value;
  else if (which === 'min') stat.min = value;
  else return;
  run[key] = statOrNull(stat);
}

/** Lines read as metadata, as printed: known, not a figure of the model. */
const KEPT_AS_IS = new Set(['total generated tokens (retokenized)', 'accept length', 'request goodput (req/s)', 'max request concurrency']);

type Setter = (run: Run, v: number) => void;
const FIELDS: Record<string, Setter> = {
  'successful requests': (r, v) => (r.completed = v),
  'failed requests': (r, v) => (r.failed = v),
  'maximum request concurrency': (r, v) => (r.concurrency = v),
  'max request concurrency': (r, v) => (r.concurrency = v),
  'request rate configured (rps)': (r, v) => (r.requestRate = v),
  'benchmark duration (s)': (r, v) => (r.durationS = v),
  'total input tokens': (r, v) => (r.totalInputTokens = v),
  'total generated tokens': (r, v) => (r.totalOutputTokens = v),
  'request throughput (req/s)': (r, v) => (r.requestThroughput = v),
  'input token throughput (tok/s)': (r, v) => (r.inputTokenThroughput = v),
  'output token throughput (tok/s)': (r, v) => (r.outputTokenThroughput = v),
  'peak output token throughput (tok/s)': (r, v) => (r.peakOutputTokenThroughput = v),
  'peak concurrent requests': (r, v) => (r.peakConcurrentRequests = v),
  'total token throughput (tok/s)': (r, v) => (r.totalTokenThroughput = v),
  'total throughput (tok/s)': (r, v) => (r.totalTokenThroughput = v),
};

export type ServingTool = 'vllm' | 'sglang';
const FORMAT_OF: Readonly<Record<ServingTool, 'vllm-bench-text' | 'sglang-bench-text'>> = { vllm: 'vllm-bench-text', sglang: 'sglang-bench-text' };
const SGLANG_LINE = /^(?:Backend|Traffic request rate|Max request concurrency|Total generated tokens \(retokenized\)|Accept length):|^(?:Mean|Median|P\d+|Std) E2E Latency \(ms\):|^-+\s*End-to-End Latency\s*-+$/;

/** Which tool printed the block starting at `i`: SGLang's layout has lines vLLM's never has. */
function blockTool(lines: readonly string[], i: number): ServingTool {
  for (let j = i + 1; j < lines.length && j < i + 80; j++) {
    const line = (lines[j] ?? '').trim();
    if (CLOSER.test(line) || HEADER.test(line)) break;
    if (SGLANG_LINE.test(line)) return 'sglang';
  }
  return 'vllm';
}

/** The blocks `tool` printed, each a run; the other tool's blocks are read for context only. */
export function parseServingBlocks(text: string, file: string, tool: ServingTool = 'vllm'): Parsed {
  const out = emptyParsed();
  const lines = prepare(text);
  const ctx = emptyContext();
  const format = FORMAT_OF[tool];
  let contextFrom = 0;
  for (let i = 0; i < lines.length; i++) {
    if (!HEADER.test((lines[i] ?? '').trim())) continue;
    readContext(lines, contextFrom, i, ctx);
    const mine = blockTool(lines, i) === tool;
    const run = newRun(file, out.runs.length, format);
    run.line = i + 1;
    const unknown: { label: string; line: number }[] = [];
    let closed = false;
    let j = i + 1;
    for (; j < lines.length; j++) {
      const line = (lines[j] ?? '').trim();
      if (CLOSER.test(line)) {
        closed = true;
        break;
      }
      if (HEADER.test(line)) break;
      if (line === '' || SECTION.test(line) || !mine) continue;
      let m = /^(.+?):\s*(\S.*)?$/.exec(line);
      if (!m?.[1]) continue;
      let raw = m[2]?.trim() ?? '';
      if (raw === '' && j + 1 < lines.length && parseNumber(lines[j + 1] ?? '') !== null) {
        raw = (lines[j + 1] ?? '').trim(); // value hard-wrapped onto the next line
        j++;
      }
      const key = m[1].trim().toLowerCase();
      if (key === 'backend' || key === 'traffic request rate') {
        if (key === 'traffic request rate' && parseNumber(raw) !== null) run.requestRate = parseNumber(raw);
        if (key === 'backend') run.metadata['backend'] = raw;
        continue;
      }
      const value = parseNumber(raw);
      if (value === null) {
        if (raw !== 'None' && raw !== 'not set' && raw !== '') out.messages.push(messages.badNumber(file, j + 1, m[1].trim(), raw));
        continue;
      }
      const stat = STAT_LINE.exec(key);
      if (stat?.[1] && stat[2]) {
        setStat(run, stat[2] === 'e2e latency' ? 'e2el' : stat[2], stat[1], value);
        continue;
      }
      const setter = FIELDS[key];
      if (setter) setter(run, value);
      else if (key === 'concurrency') run.metadata['measuredConcurrency'] = raw;
      else {
        run.metadata[m[1].trim()] = raw;
        if (!KEPT_AS_IS.has(key)) unknown.push({ label: m[1].trim(), line: j + 1 });
      }
      m = null;
    }
    if (mine) out.runs.push(finishRun(run, ctx, closed, i, file, out));
    const first = unknown[0];
    if (mine && first) out.messages.push(messages.unknownFields(file, { line: first.line }, unknown.map((u) => u.label)));
    // The next block's context starts after this one: a sweep sets concurrency per block.
    contextFrom = j + 1;
    ctx.concurrency = null;
    ctx.requestRate = null;
    ctx.rateInfinite = false;
    i = j;
  }
  if (out.runs.length > 0) out.formats.push(format);
  return out;
}

/** A block's run completed from the context before it (model, prompts, load) and its own totals. */
function finishRun(run: Run, ctx: Context, closed: boolean, i: number, file: string, out: Parsed): Run {
  if (!closed) out.messages.push(messages.truncatedBlock(file, i + 1, 'the "Serving Benchmark Result" block'));
  run.model = ctx.model;
  run.requests = ctx.requests ?? (run.completed !== null ? run.completed + (run.failed ?? 0) : null);
  if (run.concurrency === null) run.concurrency = ctx.concurrency;
  if (run.requestRate === null && !ctx.rateInfinite) run.requestRate = ctx.requestRate;
  run.maxTokens = ctx.maxTokens;
  run.streaming = ctx.streaming;
  // A request that was not streamed has no chunk gaps: every ITL figure printed is 0 (and its TTFT
  // is its whole latency).
  const itl = run.itlMs;
  if (run.streaming === null && itl !== null && (run.completed ?? 0) > 0 && Object.values(itl).every((v) => v === null || v === 0)) run.streaming = false;
  run.inputTokensMean = over(run.totalInputTokens, run.completed);
  run.outputTokensMean = over(run.totalOutputTokens, run.completed);
  if (run.inputTokenThroughput === null && run.totalTokenThroughput !== null && run.outputTokenThroughput !== null) {
    run.inputTokenThroughput = run.totalTokenThroughput - run.outputTokenThroughput;
  }
  if (run.completed === 0) out.messages.push(messages.zeroRequests(file, { line: i + 1 }));
  return run;
}

/** Either tool's block: which one printed it is told while parsing, which gives nothing for the other's. */
const claimsBlock = (text: string): boolean => /=+ ?Serving Benchmark Result ?=+/.test(text);

export const vllmBenchText: TextParser = {
  claims: claimsBlock,
  parse: (text, file) => parseServingBlocks(text, file, 'vllm'),
};

export const sglangBenchText: TextParser = {
  claims: claimsBlock,
  parse: (text, file) => parseServingBlocks(text, file, 'sglang'),
};
