/**
 * The printout of `vllm bench latency` / `benchmark_latency.py`: "Avg latency: 1.23 seconds" and
 * "90% percentile latency: 1.31 seconds" lines, each latency that of one whole offline batch, with
 * the client's `Namespace(...)` before them giving model, batch size and lengths.
 */
import { messages } from '../../messages.js';
import { statOrNull } from '../../model.js';
import { defineFormat } from '../format.js';
import { asNumber, asString, readNamespace } from '../pyrepr.js';
import { cleanLine, parseNumber, splitLines } from '../text.js';
import { emptyParsed, emptyStat, newRun, secondsToMs, type Parsed } from '../types.js';
import { LATENCY_METRICS } from './vllm-latency-json.js';

declare module '../../model.js' {
  interface RunFormats {
    'vllm-latency-text': true;
  }
}

const AVG = /^Avg latency: (\S+) seconds$/;
const PCT = /^(\d+)% percentile latency: (\S+) seconds$/;

function parse(text: string, file: string): Parsed {
  const out = emptyParsed();
  let args: ReturnType<typeof readNamespace> = null;
  let run: ReturnType<typeof newRun> | null = null;
  let stat = emptyStat();
  const close = () => {
    if (run) {
      run.latencyMs = statOrNull(stat);
      out.runs.push(run);
    }
    run = null;
    stat = emptyStat();
  };
  splitLines(text).forEach((raw, i) => {
    const line = cleanLine(raw).text.trim();
    if (line.startsWith('Namespace(')) args = readNamespace(line);
    const avg = AVG.exec(line);
    const pct = PCT.exec(line);
    if (!avg && !pct) return;
    const value = parseNumber((avg ? avg[1] : pct?.[2]) ?? '');
    if (avg) {
      close();
      run = newRun(file, out.runs.length, 'vllm-latency-text');
      run.line = i + 1;
      const a: Record<string, string | number | boolean | null> = args ?? {};
      run.model = asString(a['model']);
      run.concurrency = asNumber(a['batch_size']);
      run.inputTokensMean = asNumber(a['input_len']);
      run.maxTokens = asNumber(a['output_len']);
      if (run.concurrency !== null) run.metadata['batch_size'] = String(run.concurrency);
    }
    if (value === null) {
      out.messages.push(messages.badNumber(file, i + 1, avg ? 'Avg latency' : `${pct?.[1] ?? ''}% percentile latency`, (avg ? avg[1] : pct?.[2]) ?? ''));
      return;
    }
    if (avg) stat.mean = secondsToMs(value);
    else if (run && pct) {
      const p = pct[1];
      if (p === '50') stat.p50 = secondsToMs(value);
      else if (p === '90') stat.p90 = secondsToMs(value);
      else if (p === '95') stat.p95 = secondsToMs(value);
      else if (p === '99') stat.p99 = secondsToMs(value);
    }
  });
  close();
  if (out.runs.length > 0) out.formats.push('vllm-latency-text');
  return out;
}

export default defineFormat({
  id: 'vllm-latency-text',
  name: { en: 'vllm bench latency printout', zh: 'vllm bench latency 输出' },
  input: 'text',
  yields: 'runs',
  tool: 'vllm',
  order: 21,
  checkedOn: { en: 'lines of vLLM’s `benchmark_latency.py` source; one public paste (two results as `#` comments in a test file)', zh: '按 vLLM `benchmark_latency.py` 源码中的输出行；一份公开的粘贴（测试文件里以 `#` 注释写下的两组结果）' },
  describes: 'the `Avg latency: … seconds` / `N% percentile latency` lines of `vllm bench latency` / `benchmark_latency.py`',
  claims: (text) => /^(?:.*\s)?Avg latency: \S+ seconds\s*$/m.test(text),
  parse,
  provenance: {
    requestThroughput: '–',
    inputTokenThroughput: '–',
    outputTokenThroughput: '–',
    latency: '"Avg latency", "50%/90%/99% percentile latency" (s)',
  },
  metrics: LATENCY_METRICS,
  definitions: { latency: 'offline-batch' },
});
