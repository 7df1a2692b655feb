/**
 * The console table of NVIDIA AIPerf (`NVIDIA AIPerf | LLM Metrics`, first column `Metric`) and of
 * genai-perf (`NVIDIA GenAI-Perf | LLM Metrics`, first column `Statistic`), as rich prints it: box
 * drawing or ASCII pipes, a metric name wrapped over several lines (the values on its first), a
 * name cut with `…` when the terminal was narrow, `N/A` where a statistic does not apply. Read into
 * the same metrics as the exports, so a run says the same whichever file it comes from.
 */
import { messages } from '../../messages.js';
import { AIPERF_METRICS, KNOWN_TAGS, runFromMetrics, tagOfName, type Metric, type Tool } from '../aiperf.js';
import { defineFormat } from '../format.js';
import { parseNumber, splitLines } from '../text.js';
import { emptyParsed, type Parsed } from '../types.js';

declare module '../../model.js' {
  interface RunFormats {
    'aiperf-text': true;
  }
}

const ID = 'aiperf-text';
const TITLE = /NVIDIA (AIPerf|GenAI-Perf) \| LLM Metrics/;
const STAT = /^(avg|mean|min|max|std|p\d+(?:\.\d+)?)$/;
const RULE = /^[\s━─═┏┓┗┛┣┫┡┩┢┪└┘┌┐├┤┬┴┼╇╈╋╍+|-]*$/;
/** Units of the latency tags, where a cut name lost its own. */
const MS_TAGS = new Set(['time_to_first_token', 'time_to_second_token', 'time_to_first_output_token', 'inter_token_latency', 'inter_chunk_latency', 'request_latency']);

function cellsOf(line: string): string[] | null {
  const t = line.trim();
  if (!/^[│┃|]/.test(t)) return null;
  return t.replace(/^[│┃|]|[│┃|]$/g, '').split(/[│┃|]/).map((c) => c.trim());
}

/** A name cut with `…`: the one known tag it begins, or null. */
function cutTag(name: string): string | null {
  const whole = name.replace(/…$/, '');
  // Cut inside the unit ("Output token throughput (per se…"): the name before it is whole.
  if (/\([^)]*$/.test(whole)) {
    const tag = tagOfName(whole.replace(/\s*\([^)]*$/, '')).tag;
    return KNOWN_TAGS.has(tag) ? tag : null;
  }
  const stem = tagOfName(whole).tag;
  const hits = [...KNOWN_TAGS].filter((t) => t.startsWith(stem));
  return hits.length === 1 ? (hits[0] ?? null) : null;
}

interface Table {
  tool: Tool | null;
  line: number;
  header: string[];
  rows: { name: string; values: string[]; line: number }[];
}

function tablesOf(text: string): Table[] {
  const tables: Table[] = [];
  let tool: Tool | null = null;
  let table: Table | null = null;
  splitLines(text).forEach((raw, i) => {
    const title = TITLE.exec(raw);
    if (title) {
      tool = title[1] === 'AIPerf' ? 'aiperf' : 'genai-perf';
      table = null;
      return;
    }
    if (RULE.test(raw.trim()) && raw.trim() !== '') return;
    const cells = cellsOf(raw);
    if (!cells) {
      if (raw.trim() !== '') table = null;
      return;
    }
    const [first = '', ...rest] = cells;
    if (/^(Metric|Statistic)$/.test(first) && rest.length > 0 && rest.every((c) => STAT.test(c.toLowerCase()))) {
      table = { tool, line: i + 1, header: rest.map((c) => c.toLowerCase()), rows: [] };
      tables.push(table);
      tool = null;
      return;
    }
    if (!table) return;
    const last = table.rows[table.rows.length - 1];
    // A wrapped name goes on below its values, in rows whose value cells are empty.
    if (last && rest.every((c) => c === '') && first !== '') last.name = `${last.name} ${first}`;
    else if (first !== '') table.rows.push({ name: first, values: rest, line: i + 1 });
  });
  return tables;
}

/**
 * What the command line the tool echoes says of the run (`CLI Command: aiperf profile --model … --concurrency 32`,
 * genai-perf's `Running Perf Analyzer : 'perf_analyzer -m … --concurrency-range 8'`), when the text holds one.
 */
function commandOf(text: string): { model: string | null; concurrency: number | null; requestRate: number | null; streaming: boolean } | null {
  const lines = text.split('\n').filter((l) => /\b(aiperf|genai-perf) profile\b|\bperf_analyzer\b/.test(l));
  if (lines.length !== 1) return null;
  const line = lines[0] ?? '';
  const arg = (re: RegExp): string | null => re.exec(line)?.[1] ?? null;
  const concurrency = arg(/--concurrency(?:-range)?[ =](\d+)(?![\d:])/);
  const rate = arg(/--request-rate(?:-range)?[ =]([\d.]+)(?![\d.:])/);
  return {
    model: arg(/(?:--model|\s-m)[ =]['"]?([^\s'"]+)/),
    concurrency: concurrency === null ? null : Number(concurrency),
    requestRate: rate === null ? null : Number(rate),
    streaming: /--streaming\b/.test(line),
  };
}

function parse(text: string, file: string): Parsed {
  const out = emptyParsed();
  out.formats.push(ID);
  const command = commandOf(text);
  for (const table of tablesOf(text)) {
    const metrics = new Map<string, Metric>();
    const unknown: string[] = [];
    for (const row of table.rows) {
      let { tag, unit } = tagOfName(row.name);
      if (row.name.endsWith('…')) {
        const t = cutTag(row.name);
        if (t === null) {
          out.messages.push(messages.unreadLine(file, row.line, `the metric "${row.name}", cut short`, 'a whole metric name (a wider terminal, or the CSV/JSON export)'));
          continue;
        }
        tag = t;
        unit = MS_TAGS.has(t) ? 'ms' : null;
      }
      if (!KNOWN_TAGS.has(tag)) unknown.push(row.name);
      const stats: Record<string, number | null> = {};
      table.header.forEach((h, c) => {
        const raw = row.values[c] ?? '';
        // "N/A" (genai-perf) or "-" (AIPerf): the statistic does not apply to the metric.
        if (raw === '' || raw === '-' || /^n\/?a$/i.test(raw)) return;
        const v = parseNumber(raw);
        if (v === null) out.messages.push(messages.badNumber(file, row.line, `${row.name} ${h}`, raw));
        stats[h === 'mean' ? 'avg' : h] = v;
      });
      metrics.set(tag, { unit, stats });
    }
    if (metrics.size === 0) continue;
    if (unknown.length > 0) out.messages.push(messages.unknownFields(file, { line: table.line }, unknown));
    const tool: Tool = table.tool ?? (metrics.has('request_count') || metrics.has('inter_chunk_latency') ? 'aiperf' : 'genai-perf');
    const run = runFromMetrics(
      metrics,
      { model: command?.model ?? null, concurrency: command?.concurrency ?? null, requestRate: command?.requestRate ?? null, requestsSent: null, streaming: metrics.has('time_to_first_token') || command?.streaming ? true : null, maxTokens: null, version: null },
      tool,
      file,
      ID,
    );
    run.index = out.runs.length;
    run.line = table.line;
    out.runs.push(run);
  }
  return out;
}

export default defineFormat({
  id: ID,
  name: { en: 'AIPerf / genai-perf console table', zh: 'AIPerf / genai-perf 控制台表格' },
  input: 'text',
  yields: 'runs',
  tool: 'aiperf',
  order: 13,
  checkedOn: {
    en: 'AIPerf 0.1.x–0.8 and genai-perf 0.0.x rich tables (box drawing or ASCII, wrapped and cut names)',
    zh: 'AIPerf 0.1.x–0.8 与 genai-perf 0.0.x 的 rich 表格（方框线或 ASCII，指标名换行或被截断）',
  },
  describes: 'the `NVIDIA AIPerf | LLM Metrics` and `NVIDIA GenAI-Perf | LLM Metrics` console tables',
  claims: (text) => /[│┃|]\s*(Metric|Statistic)\s*[│┃|]\s*avg\s*[│┃|]/.test(text),
  parse,
  provenance: {
    requestThroughput: '"Request Throughput (per sec)" / "Request Throughput (requests/sec)"',
    inputTokenThroughput: '–',
    outputTokenThroughput: '"Output Token Throughput (per sec)" / "Output Token Throughput (tokens/sec)"',
    latency: '"Request Latency (ms)" avg, p50, pNN',
  },
  metrics: AIPERF_METRICS,
  definitions: { ttft: 'first-token', tpot: 'per-request-after-first', itl: 'pooled-chunk-gaps', latency: 'request-e2e', outputTokenThroughput: 'output-tokens-over-duration' },
});
