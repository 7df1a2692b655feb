/**
 * LLMPerf `token_benchmark_ray.py` console output: `Results for token benchmark for <model> queried
 * with the <api> api.` (upstream prints it as `\Results`, a stray backslash), then per metric a name
 * line (`ttft_s`, `end_to_end_latency_s`, `inter_token_latency_s`, …) and indented `p25 = …`, `mean =
 * …`, `min`, `max`, `stddev` lines in seconds, and the run's counts: `Number Of Errored Requests`,
 * `Overall Output Throughput`, `Number Of Completed Requests`, `Completed Requests Per Minute` (forks
 * add `Number Of Concurrent Workers`). The same figures as its `*_summary.json`, read the same way.
 */
import { messages } from '../../messages.js';
import type { Run, Stat } from '../../model.js';
import { defineFormat } from '../format.js';
import { parseNumber, splitLines } from '../text.js';
import { emptyParsed, newRun, secondsToMs, type Parsed } from '../types.js';

declare module '../../model.js' {
  interface RunFormats {
    'llmperf-text': true;
  }
}

const ID = 'llmperf-text';
const HEAD = /^\\?Results for token benchmark for (.+?) queried with the (\S+) api\.\s*$/;
const METRICS = new Set(['inter_token_latency_s', 'ttft_s', 'end_to_end_latency_s', 'request_output_throughput_token_per_s', 'number_input_tokens', 'number_output_tokens', 'number_total_tokens']);
const STAT = /^\s+(p\d+|mean|min|max|stddev)\s*=\s*(\S+)\s*$/;
const COUNT = /^(Number Of Errored Requests|Overall Output Throughput|Number Of Completed Requests|Completed Requests Per Minute|Number Of Concurrent Workers|Number Of Concurrent Requests):\s*(\S+)/;

type Stats = Partial<Record<string, number>>;

/** Seconds → a Stat in ms. */
function secondsStat(s: Stats | undefined): Stat | null {
  if (!s) return null;
  const ms = (k: string): number | null => (s[k] === undefined ? null : secondsToMs(s[k] as number));
  const stat: Stat = { mean: ms('mean'), p50: ms('p50'), p90: ms('p90'), p95: ms('p95'), p99: ms('p99'), min: ms('min'), max: ms('max') };
  return Object.values(stat).some((v) => v !== null) ? stat : null;
}

function finish(run: Run, stats: Map<string, Stats>, counts: Map<string, number>): void {
  run.ttftMs = secondsStat(stats.get('ttft_s'));
  run.latencyMs = secondsStat(stats.get('end_to_end_latency_s'));
  // LLMPerf's inter-token latency includes the first token: latency per output token, not ITL.
  const perToken = stats.get('inter_token_latency_s')?.['mean'];
  run.msPerOutputToken = perToken === undefined ? null : secondsToMs(perToken);
  run.inputTokensMean = stats.get('number_input_tokens')?.['mean'] ?? null;
  run.outputTokensMean = stats.get('number_output_tokens')?.['mean'] ?? null;
  run.completed = counts.get('Number Of Completed Requests') ?? null;
  run.failed = counts.get('Number Of Errored Requests') ?? null;
  if (run.completed !== null && run.failed !== null) run.requests = run.completed + run.failed;
  run.outputTokenThroughput = counts.get('Overall Output Throughput') ?? null;
  const perMin = counts.get('Completed Requests Per Minute');
  run.requestThroughput = perMin === undefined ? null : perMin / 60;
  if (run.completed !== null && run.requestThroughput) run.durationS = run.completed / run.requestThroughput;
  run.concurrency = counts.get('Number Of Concurrent Workers') ?? counts.get('Number Of Concurrent Requests') ?? null;
  run.streaming = run.ttftMs !== null ? true : null;
}

function parse(text: string, file: string): Parsed {
  const out = emptyParsed();
  out.formats.push(ID);
  let run: Run | null = null;
  let stats = new Map<string, Stats>();
  let counts = new Map<string, number>();
  let metric: string | null = null;
  const close = (): void => {
    if (run) finish(run, stats, counts);
  };
  const lines = splitLines(text).map((l) => l.replace(/\s+$/, ''));
  const unknown: { key: string; line: number }[] = [];
  lines.forEach((line, i) => {
    const head = HEAD.exec(line.trim());
    if (head) {
      close();
      run = newRun(file, out.runs.length, ID);
      run.line = i + 1;
      run.model = head[1] ?? null;
      if (head[2]) run.metadata['llm_api'] = head[2];
      out.runs.push(run);
      stats = new Map();
      counts = new Map();
      metric = null;
      return;
    }
    if (!run) return;
    if (METRICS.has(line.trim()) && !/^\s/.test(line)) {
      metric = line.trim();
      return;
    }
    // A metric of a later version: a name on its own line, its statistics below it.
    if (/^[a-z][a-z0-9_]*$/.test(line) && STAT.test(lines[i + 1] ?? '')) {
      metric = line;
      unknown.push({ key: line, line: i + 1 });
      return;
    }
    const s = STAT.exec(line);
    if (s && metric) {
      const v = parseNumber(s[2] ?? '');
      if (v === null) {
        if (!/^nan$/i.test(s[2] ?? '')) out.messages.push(messages.badNumber(file, i + 1, `${metric} ${s[1]}`, s[2] ?? ''));
        return;
      }
      stats.set(metric, { ...stats.get(metric), [s[1] as string]: v });
      return;
    }
    const c = COUNT.exec(line.trim());
    if (c) {
      metric = null;
      const v = parseNumber(c[2] ?? '');
      if (v === null) out.messages.push(messages.badNumber(file, i + 1, c[1] ?? '', c[2] ?? ''));
      else counts.set(c[1] as string, v);
    }
  });
  close();
  const first = unknown[0];
  if (first) out.messages.push(messages.unknownFields(file, { line: first.line }, unknown.map((u) => u.key)));
  for (const r of out.runs as Run[]) {
    if (r.outputTokenThroughput === null && r.completed === null) out.messages.push(messages.truncatedBlock(file, r.line ?? 1, 'LLMPerf results (no "Number Of Completed Requests" or "Overall Output Throughput" line)'));
  }
  return out;
}

export default defineFormat({
  id: ID,
  name: { en: 'LLMPerf console output', zh: 'LLMPerf 控制台输出' },
  input: 'text',
  yields: 'runs',
  tool: 'llmperf',
  order: 25,
  checkedOn: { en: 'LLMPerf `token_benchmark_ray.py` (2023–2025) and forks that add the worker count', zh: 'LLMPerf `token_benchmark_ray.py`（2023–2025）及打印并发数的分支版本' },
  describes: 'LLMPerf `token_benchmark_ray.py` console output: `Results for token benchmark for …`, per-metric `pNN = …` lines in seconds, and the run counts',
  claims: (text) => /Results for token benchmark for .+ queried with the \S+ api\./.test(text) && /^[ \t]+p50 = /m.test(text),
  parse,
  provenance: {
    requestThroughput: '"Completed Requests Per Minute" / 60',
    inputTokenThroughput: '–',
    outputTokenThroughput: '"Overall Output Throughput"',
    latency: 'end_to_end_latency_s (p50 … p99, mean)',
  },
  metrics: {
    ttft: 'per request, send to first streamed chunk; errored requests excluded',
    itl: 'LLMPerf’s inter_token_latency_s includes the first token: (all chunk gaps incl. TTFT) / output tokens per request; shown as ms per output token',
    latency: 'per request, send to last chunk; errored requests excluded',
    outputTokenThroughput: 'output tokens of non-errored requests / wall time of the run',
  },
  definitions: { ttft: 'first-token', latency: 'request-e2e', outputTokenThroughput: 'output-tokens-over-duration' },
});
