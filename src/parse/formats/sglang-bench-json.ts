/**
 * SGLang `python -m sglang.bench_serving --output-file`: one JSON object per run, appended to the
 * file (JSON Lines; an author may wrap a record over several lines). Late-2024 files carry a short
 * set (medians, mean E2E, output throughput); later ones mean/median/std/p99 of E2E, TTFT, TPOT and
 * ITL, request/input/output throughput and the run's concurrency. Python writes `Infinity` for an
 * unlimited request rate. Totals are the measured ones: take them, never the configured lengths.
 */
import { messages } from '../../messages.js';
import type { Run, Stat } from '../../model.js';
import { defineFormat } from '../format.js';
import { Fields, isObject, type Json, type JsonObject, reportUnknownKeys } from '../json.js';
import { emptyParsed, newRun, over, requestSamplesOf, sumOrNull, type Parsed } from '../types.js';

declare module '../../model.js' {
  interface RunFormats {
    'sglang-bench-json': true;
  }
}

const ID = 'sglang-bench-json';

const STATS = ['mean', 'median', 'std', 'p90', 'p95', 'p99', 'max'] as const;
const METRICS = ['e2e_latency', 'ttft', 'tpot', 'itl'] as const;

/** Every key benchbook reads or knowingly leaves (config echoes); any other is named in a warning. */
const KNOWN = new Set([
  'backend', 'dataset_name', 'request_rate', 'max_concurrency', 'sharegpt_output_len', 'random_input_len', 'random_output_len',
  'random_range_ratio', 'duration', 'completed', 'total_input_tokens', 'total_output_tokens', 'total_output_tokens_retokenized',
  'request_throughput', 'input_throughput', 'output_throughput', 'total_throughput', 'concurrency', 'accept_length', 'model_id',
  'tokenizer_id', 'server_info', 'total_input_text_tokens', 'total_input_vision_tokens', 'num_prompts', 'tag',
  // --output-details: per-request arrays (read for goodput) and texts.
  'input_lens', 'output_lens', 'ttfts', 'itls', 'generated_texts', 'errors',
  ...METRICS.flatMap((m) => STATS.map((s) => `${s}_${m}_ms`)),
]);

function claims(v: Json): boolean {
  return isObject(v) && ('total_output_tokens_retokenized' in v || 'mean_e2e_latency_ms' in v || 'median_e2e_latency_ms' in v) && 'completed' in v;
}

/** `{mean,median,p90,p95,p99,max}_<metric>_ms` → a Stat (std is a spread, not a statistic of the Stat). */
function statOf(f: Fields, metric: string): Stat | null {
  const get = (s: string) => f.num(`${s}_${metric}_ms`, { nonNegative: true });
  const stat: Stat = { mean: get('mean'), p50: get('median'), p90: get('p90'), p95: get('p95'), p99: get('p99'), min: null, max: get('max') };
  return Object.values(stat).some((v) => v !== null) ? stat : null;
}

/** The request rate: a number of requests per second, or null for Infinity (requests sent at once). */
function rateOf(obj: JsonObject): number | null {
  const v = obj['request_rate'];
  if (v === Infinity || (typeof v === 'string' && /^inf(inity)?$/i.test(v.trim()))) return null;
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

function runOf(obj: JsonObject, file: string, index: number, pointer: string, out: Parsed): Run {
  const f = new Fields(obj, file, pointer, out.messages);
  const run = newRun(file, index, ID);
  run.model = f.str('model_id');
  run.concurrency = f.count('max_concurrency');
  run.requestRate = rateOf(obj);
  run.completed = f.count('completed');
  // Without num_prompts the file does not say how many were sent, so nothing is said of failures.
  run.requests = f.count('num_prompts');
  run.failed = run.requests !== null && run.completed !== null ? run.requests - run.completed : null;
  run.durationS = f.num('duration', { nonNegative: true });
  const input = f.count('total_input_tokens');
  const output = f.count('total_output_tokens');
  run.requestThroughput = f.num('request_throughput', { nonNegative: true }) ?? over(run.completed, run.durationS);
  run.inputTokenThroughput = f.num('input_throughput', { nonNegative: true }) ?? over(input, run.durationS);
  run.outputTokenThroughput = f.num('output_throughput', { nonNegative: true });
  run.totalTokenThroughput = f.num('total_throughput', { nonNegative: true }) ?? sumOrNull(run.inputTokenThroughput, run.outputTokenThroughput);
  run.inputTokensMean = over(input, run.completed);
  run.outputTokensMean = over(output, run.completed);
  // random_output_len is the output length only at random_range_ratio 1; below, lengths are drawn up to it.
  const fixed = f.str('dataset_name') === 'random' && f.num('random_range_ratio') === 1;
  if (fixed) run.maxTokens = f.count('random_output_len');

  run.latencyMs = statOf(f, 'e2e_latency');
  run.ttftMs = statOf(f, 'ttft');
  run.tpotMs = statOf(f, 'tpot');
  run.itlMs = statOf(f, 'itl');
  // The random lengths are configuration echoes, meaningful for the random dataset only (a sharegpt record still carries them).
  const random = f.str('dataset_name') === 'random';
  for (const key of ['backend', 'dataset_name', ...(random ? ['random_input_len', ...(fixed ? [] : ['random_output_len'])] : []), 'tag', 'accept_length']) {
    const v = f.str(key);
    if (v !== null) run.metadata[key] = v;
  }
  if (obj['request_rate'] === Infinity) run.metadata['request_rate'] = 'inf';
  const samples = requestSamplesOf(obj);
  if (samples) run.perRequest = samples;
  reportUnknownKeys(obj, KNOWN, file, pointer, out.messages);
  if (run.completed === 0) out.messages.push(messages.zeroRequests(file, { pointer: `${pointer}/completed` }));
  return run;
}

function parse(value: Json, file: string): Parsed {
  const out = emptyParsed();
  out.formats.push(ID);
  if (isObject(value)) out.runs.push(runOf(value, file, 0, '', out));
  return out;
}

export default defineFormat({
  id: ID,
  name: { en: 'SGLang bench_serving result', zh: 'SGLang bench_serving 结果' },
  input: 'json',
  yields: 'runs',
  tool: 'sglang',
  order: 15,
  checkedOn: { en: 'SGLang late 2024, 2025', zh: 'SGLang 2024 年末、2025' },
  describes: 'SGLang `python -m sglang.bench_serving --output-file` (JSON Lines, one record per run; the late-2024 short schema and the later full one)',
  claims,
  parse,
  records: {
    shapes: ['array', 'lines'],
    claims: (values) => values.length > 0 && values.every(claims),
    parse(records, file) {
      const out = emptyParsed();
      out.formats.push(ID);
      records.forEach((r, i) => {
        if (!isObject(r.value)) return;
        const before = out.messages.length;
        const run = runOf(r.value, file, i, r.line === null ? `/${i}` : '', out);
        // A JSON Lines record is placed by its line, and so is what was said of it.
        if (r.line !== null) {
          run.line = r.line;
          for (const m of out.messages.slice(before)) m.line = r.line;
        }
        out.runs.push(run);
      });
      return out;
    },
  },
  provenance: {
    requestThroughput: ['request_throughput', 'completed / duration'],
    inputTokenThroughput: ['input_throughput', 'total_input_tokens / duration'],
    outputTokenThroughput: 'output_throughput',
    latency: '{mean,median,p99}_e2e_latency_ms ÷ 1000',
  },
  metrics: {
    ttft: 'per request, send to first streamed chunk',
    tpot: 'per request, (latency − TTFT) / (output tokens − 1)',
    itl: 'gaps between streamed chunks, all requests pooled',
    latency: 'per request, send to last chunk',
    outputTokenThroughput: 'output tokens of completed requests / duration of the run',
  },
  definitions: { ttft: 'first-token', tpot: 'per-request-after-first', itl: 'pooled-chunk-gaps', latency: 'request-e2e', outputTokenThroughput: 'output-tokens-over-duration' },
});
