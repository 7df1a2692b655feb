/**
 * `profile_export_aiperf.csv` (AIPerf) and `profile_export_genai_perf.csv` (genai-perf): a table of
 * distributions, `Metric,avg,[sum,]min,max,p…,std` (the columns by header, never by position: 0.8
 * added `sum` and `p10`), then after a blank line `Metric,Value` for scalars; the unit inside the
 * metric's name (`Time to First Token (ms)`); CRLF; genai-perf quotes numbers with thousands
 * separators. The tool is told by what the file holds (AIPerf counts requests and its duration).
 */
import { messages } from '../../messages.js';
import { AIPERF_METRICS, KNOWN_TAGS, numberOf, runFromMetrics, tagOfName, type Metric, type Tool } from '../aiperf.js';
import { defineFormat } from '../format.js';
import { csvFields } from '../text.js';
import { emptyParsed, type Parsed } from '../types.js';

declare module '../../model.js' {
  interface RunFormats {
    'aiperf-csv': true;
  }
}

/** The statistic columns of both tools' tables (`Metric,avg,min,max,p1,…,std` and `Metric,Value`). */
const STAT = /^(avg|mean|min|max|std|sum|count|value|p\d+(\.\d+)?)$/;

const ID = 'aiperf-csv';

function parse(text: string, file: string): Parsed {
  const out = emptyParsed();
  out.formats.push(ID);
  const metrics = new Map<string, Metric>();
  const unknown: string[] = [];
  let unknownLine: number | null = null;
  let header: string[] | null = null;
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = i + 1;
    if (raw.trim() === '') {
      header = null;
      return;
    }
    const fields = csvFields(raw);
    if (fields[0] === 'Metric') {
      header = fields.map((f) => f.toLowerCase());
      const odd = fields.slice(1).filter((f) => !STAT.test(f.toLowerCase()));
      if (odd.length > 0) out.messages.push(messages.unknownFields(file, { line }, odd));
      return;
    }
    if (header === null) return;
    const cols: string[] = header;
    const { tag, unit } = tagOfName(fields[0] ?? '');
    const stats: Record<string, number | null> = {};
    cols.forEach((col, c) => {
      if (c === 0) return;
      const n = numberOf(fields[c]);
      if (n === 'bad') out.messages.push(messages.badNumber(file, line, `${fields[0]} ${col}`, fields[c] ?? ''));
      else stats[col] = n;
    });
    if (fields.length !== cols.length) out.messages.push(messages.unreadLine(file, line, `the row "${fields[0]}"`, `${cols.length} fields like its header, not ${fields.length}`));
    metrics.set(tag, { unit, stats });
    if (!KNOWN_TAGS.has(tag)) {
      unknown.push(fields[0] ?? tag);
      unknownLine ??= line;
    }
  });
  if (metrics.size === 0) return out;
  const tool: Tool = metrics.has('request_count') || metrics.has('benchmark_duration') || metrics.has('inter_chunk_latency') ? 'aiperf' : 'genai-perf';
  if (unknown.length > 0 && unknownLine !== null) out.messages.push(messages.unknownFields(file, { line: unknownLine }, unknown));
  const run = runFromMetrics(metrics, { model: null, concurrency: null, requestRate: null, requestsSent: null, streaming: metrics.has('time_to_first_token') ? true : null, maxTokens: null, version: null }, tool, file, ID);
  out.runs.push(run);
  return out;
}

export default defineFormat({
  id: ID,
  name: { en: 'AIPerf / genai-perf profile export (CSV)', zh: 'AIPerf / genai-perf 导出（CSV）' },
  input: 'text',
  yields: 'runs',
  tool: 'aiperf',
  order: 13,
  checkedOn: { en: 'AIPerf 0.1.x, 0.8.0', zh: 'AIPerf 0.1.x、0.8.0' },
  describes: 'AIPerf `profile_export_aiperf.csv` and genai-perf `profile_export_genai_perf.csv`: two tables, the unit in each metric name, columns read by header',
  claims: (text) => /^\uFEFF?Metric,avg,/.test(text.trimStart()) && /\n\s*Metric,Value\s*\r?\n/.test(text),
  parse,
  provenance: {
    requestThroughput: '"Request Throughput"',
    inputTokenThroughput: '"Total Input Sequence Length" ÷ "Benchmark Duration"',
    outputTokenThroughput: '"Output Token Throughput"',
    latency: '"Request Latency (ms)" avg, p50, pNN',
  },
  metrics: AIPERF_METRICS,
  definitions: { ttft: 'first-token', tpot: 'per-request-after-first', itl: 'pooled-chunk-gaps', latency: 'request-e2e', outputTokenThroughput: 'output-tokens-over-duration' },
});
