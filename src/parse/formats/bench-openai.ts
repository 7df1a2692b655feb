/**
 * Result JSON of the OpenAI-compatible bench script (`bench_openai.py`): raw counts and times, plus
 * its own `derived` figures, which are recomputed here from the raw fields and checked.
 *
 * qps = ok / total_time_s; prompt_tps = ok × prompt_tokens_mean / total_time_s;
 * decode_tps = ok × completion_tokens_mean / total_time_s;
 * ms_per_output_token = 1000 × latency_s.mean / completion_tokens_mean.
 */
import { messages } from '../../messages.js';
import type { Stat } from '../../model.js';
import { Fields, isObject, secondsStatOf, type Json } from '../json.js';
import { emptyParsed, newRun, over, sumOrNull, times, type Parsed } from '../types.js';
import { defineFormat } from '../format.js';

declare module '../../model.js' {
  interface RunFormats {
    'bench-openai': true;
  }
}

/** `{mean, p50, …}` in seconds → a Stat in milliseconds. */
function secondsStat(f: Fields | null): Stat | null {
  return f === null ? null : secondsStatOf(f, (stat) => stat);
}

/** True when two figures agree to the precision the stated one was printed with (or 0.1 %). */
export function agrees(stated: number, recomputed: number): boolean {
  const decimals = (String(stated).split('.')[1] ?? '').length;
  const halfUnit = 0.5 * 10 ** -decimals;
  const diff = Math.abs(stated - recomputed);
  return diff <= halfUnit * 1.0000001 || diff <= Math.abs(recomputed) * 1e-3;
}

export default defineFormat({
  id: 'bench-openai',
  name: { en: 'bench_openai.py result', zh: 'bench_openai.py 结果' },
  input: 'json',
  yields: 'runs',
  tool: 'bench_openai',
  order: 10,
  checkedOn: { en: 'bench_openai.py as in the sample experiments', zh: '示例实验中的 bench_openai.py' },
  describes: 'result JSON of the OpenAI-compatible bench script (`bench_openai.py`): counts, times, `latency_s`, `token_usage`, `derived`',
  claims(v: Json): boolean {
    return isObject(v) && 'total_time_s' in v && ('ok' in v || 'qps' in v) && ('latency_s' in v || 'derived' in v);
  },
  parse(value: Json, file: string): Parsed {
    const out = emptyParsed();
    out.formats.push('bench-openai');
    if (!isObject(value)) return out;
    const f = new Fields(value, file, '', out.messages);
    const run = newRun(file, 0, 'bench-openai');
    run.model = f.str('model');
    run.concurrency = f.count('concurrency');
    run.requests = f.count('requests');
    run.maxTokens = f.count('max_tokens');
    run.completed = f.count('ok');
    run.failed = f.count('errors');
    run.durationS = f.num('total_time_s', { nonNegative: true });
    const usage = f.object('token_usage');
    run.inputTokensMean = usage?.num('prompt_tokens_mean', { nonNegative: true }) ?? null;
    run.outputTokensMean = usage?.num('completion_tokens_mean', { nonNegative: true }) ?? null;
    run.latencyMs = secondsStat(f.object('latency_s'));
    run.ttftMs = secondsStat(f.object('ttft_s'));
    run.totalInputTokens = times(run.completed, run.inputTokensMean);
    run.totalOutputTokens = times(run.completed, run.outputTokensMean);
    const endpoint = f.str('endpoint');
    if (endpoint) run.metadata['endpoint'] = endpoint;
    const temperature = f.num('temperature');
    if (temperature !== null) run.metadata['temperature'] = String(temperature);
    const stream = f.bool('stream');
    if (stream !== null) run.metadata['stream'] = String(stream);
    run.streaming = stream;

    const derived = f.object('derived');
    const stated = {
      qps: f.num('qps', { nonNegative: true }),
      prompt_tps: derived?.num('prompt_tps', { nonNegative: true }) ?? null,
      decode_tps: derived?.num('decode_tps', { nonNegative: true }) ?? null,
      ms_per_output_token: derived?.num('ms_per_output_token', { nonNegative: true }) ?? null,
    };
    const recomputed = {
      qps: over(run.completed, run.durationS),
      prompt_tps: over(run.totalInputTokens, run.durationS),
      decode_tps: over(run.totalOutputTokens, run.durationS),
      ms_per_output_token: over(run.latencyMs?.mean ?? null, run.outputTokensMean),
    };
    const pointers = {
      qps: '/qps',
      prompt_tps: '/derived/prompt_tps',
      decode_tps: '/derived/decode_tps',
      ms_per_output_token: '/derived/ms_per_output_token',
    };
    const pick = (k: keyof typeof stated): number | null => {
      const s = stated[k];
      const r = recomputed[k];
      if (r === null) return s;
      if (s !== null && !agrees(s, r)) out.messages.push(messages.derivedMismatch(file, pointers[k], s, r));
      return r;
    };
    run.requestThroughput = pick('qps');
    run.inputTokenThroughput = pick('prompt_tps');
    run.outputTokenThroughput = pick('decode_tps');
    run.msPerOutputToken = pick('ms_per_output_token');
    run.totalTokenThroughput = sumOrNull(run.inputTokenThroughput, run.outputTokenThroughput);
    if (run.completed === 0) out.messages.push(messages.zeroRequests(file, { pointer: '/ok' }));
    f.reportUnread();
    out.runs.push(run);
    return out;
  },
  provenance: {
    requestThroughput: 'ok / total_time_s',
    inputTokenThroughput: 'ok × token_usage.prompt_tokens_mean / total_time_s',
    outputTokenThroughput: 'ok × token_usage.completion_tokens_mean / total_time_s',
    latency: 'latency_s.{mean,p50,p95}',
  },
  metrics: {
    latency: 'per request, send to the full (non-streamed) response, in seconds',
    outputTokenThroughput: 'successful requests × mean completion tokens / wall time of the run',
  },
  definitions: { latency: 'request-e2e', outputTokenThroughput: 'completed-x-mean-over-duration' },
});
