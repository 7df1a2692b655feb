/**
 * Whatever is wrapped around a tool's output is taken off before it is read: every text fixture,
 * wrapped in each way people share output, reads as it reads bare.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Parsed } from '../../src/parse/types.js';
import { detectWrapping, unwrapText } from '../../src/parse/unwrap.js';
import { fixturesDir, parseString } from '../helpers/files.js';

/** One text input of a format's fixture case. */
function fixtureText(format: string, name: string): { text: string; file: string } {
  const dir = join(fixturesDir, format, name);
  const file = readdirSync(dir).find((f) => f !== 'expected.json') as string;
  return { text: readFileSync(join(dir, file), 'utf8'), file };
}

/** What a reading found, without the places (lines move when a wrapper adds lines) and messages. */
function found(p: Parsed): unknown {
  const strip = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(strip);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).filter(([k]) => k !== 'line' && k !== 'lines' && k !== 'file').map(([k, x]) => [k, strip(x)]));
    return v;
  };
  return strip({ formats: p.formats, runs: p.runs, serverLogs: p.serverLogs, environments: p.environments, accuracy: p.accuracy });
}

const lines = (t: string) => t.replace(/\r?\n$/, '').split(/\r?\n/);
const each = (t: string, f: (l: string, i: number) => string) => lines(t).map(f).join('\n') + '\n';

/** Wrappers of every kind the issue names; none of them is known to the code by its shape. */
const WRAPPERS: Record<string, (t: string) => string> = {
  'ISO timestamps (docker logs -t)': (t) => each(t, (l, i) => `2026-03-0${1 + (i % 9)}T12:${String(i % 60).padStart(2, '0')}:07.123456789Z ${l}`),
  'bracketed local timestamps': (t) => each(t, (l, i) => `[2026/03/01 12:00:${String(i % 60).padStart(2, '0')}] ${l}`),
  'syslog header with host and pid': (t) => each(t, (l, i) => `Mar  1 12:00:${String(i % 60).padStart(2, '0')} gpu-node-3 bash[41235]: ${l}`),
  'compose service name with |': (t) => each(t, (l) => `vllm-server-1  | ${l}`),
  'kubectl pod prefix': (t) => each(t, (l) => `[pod/vllm-7d9fbc-x2k4q/vllm] ${l}`),
  'Slurm task ids of changing width': (t) => each(t, (l, i) => `${i % 12}: ${l}`),
  'timestamp then service name (nested)': (t) => each(t, (l) => `2026-03-01T12:00:00Z bench-1 | ${l}`),
  'timestamp then | (a log viewer)': (t) => each(t, (l, i) => `2026-05-01 20:54:${String(i % 60).padStart(2, '0')}.${String((i * 37) % 1000).padStart(3, '0')} | ${l}`),
  'Ray actor prefix around a step id': (t) => each(t, (l) => `(autoscaler +12s) step-3 | ${l}`),
  'comments (# )': (t) => each(t, (l) => (l === '' ? '#' : `# ${l}`)),
  'HTML <pre> with entities': (t) => `<p>Output:</p>\n<pre><code>${t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}</code></pre>\n`,
  'Markdown fence in an indented list item': (t) => `Results of the run:\n\n- first attempt\n  \`\`\`text\n${each(t, (l) => (l === '' ? '' : `  ${l}`))}  \`\`\`\n`,
  'ANSI codes whose ESC byte was lost': (t) => each(t, (l, i) => (i % 3 === 0 ? `[1;32m${l}[0m` : l)),
  'CRLF': (t) => lines(t).join('\r\n') + '\r\n',
  'newlines written as \\n on one line': (t) => `${JSON.stringify(t).slice(1, -1)}\n`,
};

const INPUTS: [string, string][] = [
  ['vllm-bench-text', 'l40-tp2-printout'],
  ['vllm-log', 'v1-fp8-engine'],
  ['nvidia-smi', 'l40-four-gpus'],
  ['guidellm-text', 'sweep-three-strategies'],
  ['trtllm-bench-text', 'streaming-two-reports'],
  ['evalscope-perf', 'summary-with-percentiles'],
  ['lm-eval-table', 'gsm8k-filters'],
  ['amd-smi', 'static-two-gpus-bad-vram'],
  ['nvidia-smi-topo', 'l40-matrix'],
];

describe('wrapped output reads as bare output', () => {
  for (const [format, name] of INPUTS) {
    describe(`${format}/${name}`, () => {
      const { text, file } = fixtureText(format, name);
      const bare = parseString(text, file).parsed;
      it('is read bare', () => expect(bare.formats).toContain(format));
      for (const [wrapper, wrap] of Object.entries(WRAPPERS)) {
        it(wrapper, () => {
          const wrapped = parseString(wrap(text), file).parsed;
          expect(found(wrapped)).toEqual(found(bare));
        });
      }
    });
  }
});

describe('unwrapText', () => {
  it('says what it took off, and keeps line numbers', () => {
    const text = 'a-1  | 2026-01-01T00:00:00Z one\na-1  | 2026-01-01T00:00:01Z two\na-1  | 2026-01-01T00:00:02Z three\n';
    const u = unwrapText(text);
    expect(u.text).toBe('one\ntwo\nthree\n');
    expect(u.described).toEqual(['prefix "a-1  | 2026-01-01T00:00:00Z "']);
  });

  it('leaves a tool’s own log prefix alone: log levels and process tags are content', () => {
    const log = [
      '(APIServer pid=7) INFO 01-02 10:00:00 [api_server.py:1000] vLLM API server version 0.12.0',
      '(APIServer pid=7) INFO 01-02 10:00:01 [api_server.py:1001] Starting',
      '(APIServer pid=7) WARNING 01-02 10:00:02 [api_server.py:1002] Something',
      'INFO 01-02 10:00:03 [core.py:90] Initializing',
    ].join('\n');
    expect(unwrapText(log)).toEqual({ text: log, described: [] });
  });

  it('leaves tables alone: a first cell is not a prefix', () => {
    const table = ['| constant@1.00 | 12.0 |', '| constant@2.00 | 13.0 |', '| constant@3.00 | 14.0 |', '| constant@4.00 | 15.0 |'].join('\n');
    expect(unwrapText(table).text).toBe(table);
  });

  it('takes a log viewer\'s `timestamp | ` off, and only the timestamp off a table printed after one', () => {
    const viewer = ['2026-05-01 20:54:17.080 | (APIServer pid=1) INFO 05-01 18:54:17 [utils.py:299] version 0.20.0', '2026-05-01 20:54:17.083 | WARNING 05-01 18:54:17 [envs.py:1818] Unknown', '2026-05-01 21:01:18.215 | (EngineCore pid=187) ', '2026-05-01 21:01:18.215 | Loading safetensors checkpoint shards:   0% Completed | 0/3'];
    expect(unwrapText(viewer.join('\n')).text.split('\n')).toEqual(['(APIServer pid=1) INFO 05-01 18:54:17 [utils.py:299] version 0.20.0', 'WARNING 05-01 18:54:17 [envs.py:1818] Unknown', '(EngineCore pid=187) ', 'Loading safetensors checkpoint shards:   0% Completed | 0/3']);
    const table = ['2026-03-01T12:00:07Z | run | tok/s |', '2026-03-01T12:00:07Z |---|---|', '2026-03-01T12:00:08Z | c=1 | 812.5 |', '2026-03-01T12:00:08Z | c=2 | 1520.0 |'];
    expect(unwrapText(table.join('\n')).text.split('\n')).toEqual(['| run | tok/s |', '|---|---|', '| c=1 | 812.5 |', '| c=2 | 1520.0 |']);
  });

  it('leaves lines alone when no prefix is on most of them', () => {
    const text = ['0: one', 'two', 'three', '1: four', 'five'].join('\n');
    expect(unwrapText(text).text).toBe(text);
  });

  it('takes a comment mark off a run of marked lines anywhere, not off a lone comment', () => {
    const text = ['def f():', '    return 1', '# a note', '', '## heading', '# Avg latency: 0.96 seconds', '# 10% percentile latency: 0.95 seconds', '', '# 50% percentile latency: 0.96 seconds', 'x = 2'].join('\n');
    const u = unwrapText(text);
    expect(u.text.split('\n')).toEqual(['def f():', '    return 1', '# a note', '', '## heading', 'Avg latency: 0.96 seconds', '10% percentile latency: 0.95 seconds', '', '50% percentile latency: 0.96 seconds', 'x = 2']);
    expect(unwrapText(['a', '# lone note', 'b', 'c'].join('\n')).text).toBe(['a', '# lone note', 'b', 'c'].join('\n'));
    expect(u.described).toEqual(['comment mark "#"']);
  });

  it('learns a wrapping from a sample and applies it to lines it has not seen', () => {
    const w = detectWrapping(['node7 | x', 'node7 | y', 'node7 | z']);
    expect(w.strip('node7 | INFO 01-02 10:00:03 [core.py:90] hi')).toBe('INFO 01-02 10:00:03 [core.py:90] hi');
    expect(w.strip('other line')).toBe('other line');
  });

  it('puts records of a log whose newlines were lost back on their own lines', () => {
    const records = Array.from({ length: 6 }, (_, i) => `INFO 01-02 10:00:0${i} [core.py:${i}] message number ${i} with some words in it`);
    const u = unwrapText(records.join(' '));
    expect(u.text.split('\n')).toEqual(records);
    expect(u.described).toEqual(['newlines lost (records split at their timestamps)']);
  });
});

describe('a result block whose newlines were lost', () => {
  for (const [format, name] of [['vllm-bench-text', 'l40-tp2-printout'], ['sglang-bench-text', 'h100-qwen3-32b-fp8-c64']] as const) {
    it(`${format}/${name}: read as the block it was, joined with spaces or behind a log record`, () => {
      const { text, file } = fixtureText(format, name);
      const all = lines(text);
      const start = all.findIndex((l) => /^={5,} .+ ={5,}$/.test(l.trim()));
      const end = all.findIndex((l, i) => i > start && /^={20,}$/.test(l.trim()));
      const block = all.slice(start, end + 1);
      const bare = parseString(block.join('\n') + '\n', file).parsed;
      expect(bare.runs).toHaveLength(1);
      const flat = parseString(block.join(' '), file).parsed;
      expect(found(flat)).toEqual(found(bare));
      const behindRecord = parseString(`INFO 03-01 10:00:00 [api_server.py:100] vLLM API server version 0.11.0 ${block.join(' ')}`, file).parsed;
      // The record is a (vLLM) log of its own; the block's run is the same.
      expect(found({ ...behindRecord, serverLogs: [], formats: bare.formats })).toEqual(found(bare));
    });
  }
});

describe('a large server log, read by its whole-file reader', () => {
  it('is unwrapped line by line with the wrapping learned from its head', () => {
    const { text, file } = fixtureText('vllm-log', 'v1-fp8-engine');
    const access = '(APIServer pid=7) INFO:     10.0.0.1:5000 - "POST /v1/completions HTTP/1.1" 200 OK\n'.repeat(4000);
    const big = text + access;
    expect(big.length).toBeGreaterThan(256 << 10);
    const bare = parseString(big, file).parsed;
    const wrapped = parseString(each(big, (l, i) => `2026-03-01T12:00:${String(i % 60).padStart(2, '0')}.5Z vllm-1  | ${l}`), file).parsed;
    expect(bare.serverLogs[0]?.quantization).toBe('compressed-tensors');
    expect(found(wrapped)).toEqual(found(bare));
  });

  it('gives each of two interleaved engines its own metrics behind a wrapper', () => {
    const server = (pid: number, engine: number) => [
      `(APIServer pid=${pid}) INFO 01-02 10:00:00 [api_server.py:1000] vLLM API server version 0.12.0`,
      `(EngineCore_DP0 pid=${engine}) INFO 01-02 10:00:05 [core.py:90] Initializing a V1 LLM engine (v0.12.0) with config: model='org/m${pid}', dtype=torch.bfloat16, max_seq_len=8192, quantization=fp8, kv_cache_dtype=auto`,
    ];
    // Metrics tagged with a known process's pid go to that process's engine.
    const metrics = (pid: number, tps: number) => `(EngineCore_DP0 pid=${pid}) INFO 01-02 10:06:00 [loggers.py:200] Engine 000: Avg prompt throughput: ${tps}.0 tokens/s, Avg generation throughput: ${tps / 10}.0 tokens/s, Running: 1 reqs`;
    const access = (pid: number) => `(APIServer pid=${pid}) INFO:     10.0.0.1:5000 - "POST /v1/completions HTTP/1.1" 200 OK`;
    const lines = [...server(7, 20), ...server(8, 40)];
    for (let i = 0; i < 3000; i++) lines.push(access(7), access(8));
    lines.push(metrics(20, 1000), metrics(40, 5000), metrics(20, 2000));
    const big = each(lines.join('\n'), (l) => l);
    expect(big.length).toBeGreaterThan(256 << 10);
    const peaks = (text: string) => parseString(text, 'two.log').parsed.serverLogs.map((l) => [l.model, l.peakPromptTps, l.metricLines]);
    expect(peaks(big)).toEqual([
      ['org/m7', 2000, 2],
      ['org/m8', 5000, 1],
    ]);
    expect(peaks(each(big, (l, i) => `2026-03-01T12:00:${String(i % 60).padStart(2, '0')}Z vllm-1  | ${l}`))).toEqual(peaks(big));
  });
});
