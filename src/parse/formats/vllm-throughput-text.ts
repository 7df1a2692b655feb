/**
 * Offline throughput printouts of vLLM's `benchmarks/benchmark_throughput.py` / `vllm bench
 * throughput`: "Throughput: 13.38 requests/s, 4681.85 tokens/s" (newer: "… total tokens/s, …
 * output tokens/s"), with the client's `Namespace(...)` before it giving model and lengths.
 */
import { messages } from '../../messages.js';
import { asNumber, asString, readNamespace } from '../pyrepr.js';
import { cleanLine, splitLines } from '../text.js';
import { emptyParsed, newRun, type Parsed } from '../types.js';
import { defineFormat } from '../format.js';

declare module '../../model.js' {
  interface RunFormats {
    'vllm-throughput-text': true;
  }
}

const THROUGHPUT = /^(?:\S+ )?Throughput: ([\d.]+) requests\/s, ([\d.]+) (?:total )?tokens\/s(?:, ([\d.]+) output tokens\/s)?/;
const ELAPSED = /Processed prompts: 100%.*?\[(?:(\d+):)?(\d+):(\d+)</;

export default defineFormat({
  id: 'vllm-throughput-text',
  name: { en: 'vllm bench throughput printout', zh: 'vllm bench throughput 输出' },
  input: 'text',
  yields: 'runs',
  tool: 'vllm',
  order: 20,
  checkedOn: 'vLLM 0.5.4',
  describes: 'the `Throughput: … requests/s, … total tokens/s` line of `vllm bench throughput` / `benchmark_throughput.py`',
  claims: (text) => /^(?:\S+ )?Throughput: [\d.]+ requests\/s, [\d.]+ (?:total )?tokens\/s/m.test(text),
  parse(text: string, file: string): Parsed {
    const out = emptyParsed();
    let args: ReturnType<typeof readNamespace> = null;
    let elapsed: number | null = null;
    splitLines(text).forEach((raw, i) => {
      const line = cleanLine(raw).text.trim();
      if (line.startsWith('Namespace(')) {
        args = readNamespace(line);
        elapsed = null;
        return;
      }
      const e = ELAPSED.exec(line);
      if (e) elapsed = Number(e[1] ?? 0) * 3600 + Number(e[2]) * 60 + Number(e[3]);
      const m = THROUGHPUT.exec(line);
      if (!m) {
        if (/^(?:\S+ )?Throughput:/.test(line)) out.messages.push(messages.unreadLine(file, i + 1, 'throughput line', '"Throughput: <n> requests/s, <n> total tokens/s[, <n> output tokens/s]"'));
        return;
      }
      const run = newRun(file, out.runs.length, 'vllm-throughput-text');
      run.line = i + 1;
      run.requestThroughput = Number(m[1]);
      run.totalTokenThroughput = Number(m[2]);
      run.outputTokenThroughput = m[3] !== undefined ? Number(m[3]) : null;
      const a: Record<string, string | number | boolean | null> = args ?? {};
      run.model = asString(a['model']);
      run.requests = asNumber(a['num_prompts']);
      run.completed = run.requests;
      run.inputTokensMean = asNumber(a['input_len']);
      run.outputTokensMean = asNumber(a['output_len']);
      run.maxTokens = asNumber(a['output_len']);
      run.durationS = elapsed;
      if (run.outputTokenThroughput === null && run.inputTokensMean !== null && run.outputTokensMean !== null) {
        const share = run.outputTokensMean / (run.inputTokensMean + run.outputTokensMean);
        run.outputTokenThroughput = run.totalTokenThroughput * share;
        run.inputTokenThroughput = run.totalTokenThroughput - run.outputTokenThroughput;
      }
      const q = asString(a['quantization']);
      if (q) run.metadata['quantization'] = q;
      out.runs.push(run);
    });
    if (out.runs.length > 0) out.formats.push('vllm-throughput-text');
    return out;
  },
  provenance: {
    requestThroughput: '"Throughput: … requests/s"',
    inputTokenThroughput: 'total tokens/s × input_len / (input_len + output_len)',
    outputTokenThroughput: 'total tokens/s × output_len / (input_len + output_len)',
    latency: '–',
  },
  metrics: {
    totalTokenThroughput: 'offline: (input + output tokens) / elapsed time of the whole batch; no per-request latency',
  },
  definitions: { outputTokenThroughput: 'output-tokens-over-duration' },
});
