import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build, renderAll, type Rendered } from '../src/build.js';
import { artifactsDir, repoRoot } from './helpers/files.js';

let rendered: Rendered;
beforeAll(async () => {
  rendered = await renderAll(repoRoot);
}, 60_000);

const text = (path: string): string => (rendered.outputs.get(path) as Buffer).toString('utf8');

/** A report's prose as a reader sees it: raw data, code (fenced and inline) and link targets left out. */
function readerProse(markdown: string): string {
  return markdown
    .replace(/<details>[\s\S]*?<\/details>/g, '')
    .replace(/```[\s\S]*?```/g, '')
    .replace(/`[^`\n]*`/g, '')
    .replace(/\]\([^)]*\)/g, ']');
}

describe('build of the shipped sample', () => {
  it('writes the README pair, two reports per experiment and their charts', () => {
    const paths = [...rendered.outputs.keys()];
    expect(paths.filter((p) => p.startsWith('README')).sort()).toEqual(['README.en.md', 'README.md']);
    expect(paths.filter((p) => p.startsWith('reports/')).sort()).toEqual(
      ['gb10_qwen2_5_14b_fp8_vllm_serve_20260318', 'l40x4_gpt_oss_120b_20251103', 'mxc500_qwen2_5_72b_evalscope_20250215', 'qwen2_5_vl_72b_fp8_vllm_bench_20251222', 'qwen3_32b_vllm_bench_20251222'].flatMap(
        (s) => [`reports/${s}.en.md`, `reports/${s}.zh.md`],
      ),
    );
    const images = paths.filter((p) => p.startsWith('images/'));
    expect(images.length).toBeGreaterThanOrEqual(30);
    for (const p of images) expect(p).toMatch(/^images\/[\w.-]+-[\w-]+\.(zh|en)\.png$/);
  });

  it('matches the committed outputs byte for byte (the golden files: regenerate with npm run build, then read the diff)', () => {
    for (const [path, content] of rendered.outputs) {
      if (path.startsWith('site/')) continue; // built for deployment, not committed
      expect(readFileSync(join(repoRoot, path)).equals(content), `${path} is stale: run npm run build`).toBe(true);
    }
    for (const dir of ['reports', 'images']) {
      for (const f of readdirSync(join(repoRoot, dir))) expect(rendered.outputs.has(`${dir}/${f}`), `${dir}/${f} is not produced any more`).toBe(true);
    }
  });

  it('is deterministic', async () => {
    const again = await renderAll(repoRoot);
    expect([...again.outputs.keys()]).toEqual([...rendered.outputs.keys()]);
    for (const [path, content] of again.outputs) expect(content.equals(rendered.outputs.get(path) as Buffer), path).toBe(true);
  }, 60_000);

  it.each(['en', 'zh'])('shows every figure the seed README lists, in the one number format (%s)', (locale) => {
    const vl = text(`reports/qwen2_5_vl_72b_fp8_vllm_bench_20251222.${locale}.md`);
    for (const s of ['260.37', '348.01', '| 1.34× | 1.34× | 1.34× | 0.75× |', '67%']) expect(vl).toContain(s);
    const q3 = text(`reports/qwen3_32b_vllm_bench_20251222.${locale}.md`);
    for (const s of ['606.47', '381.87', '322.09', '34/40', '35/40', '85.0%', '87.5%']) expect(q3).toContain(s);
    expect(q3).toMatch(/NVFP4[^\n]*606\.47[^\n]*>[^\n]*FP8[^\n]*381\.87[^\n]*>[^\n]*BF16[^\n]*322\.09/);
    // Trailing zeros kept, one number of decimals per column: p95 6.795 s is 6.80, not 6.8.
    expect(q3).toContain('| NVFP4 | 2.37 | 260.59 | 606.47 | 867.06 | 6.76 | 6.80 | 64 | 0 |');
    const mx = text(`reports/mxc500_qwen2_5_72b_evalscope_20250215.${locale}.md`);
    for (const row of [
      '| 8 | 0.37 | 20.94 | 109.62 | 0 |',
      '| 16 | 0.61 | 25.73 | 179.37 | 0 |',
      '| 32 | 0.89 | 35.16 | 260.32 | 0 |',
      '| 64 | 1.08 | 55.09 | 309.04 | 14 |',
      '| 100 | 1.37 | 61.88 | 385.08 | 35 |',
      '| 128 | 1.44 | 67.18 | 383.47 | 78 |',
      '| 150 | 1.48 | 70.76 | 393.34 | 89 |',
      '| 200 | 1.47 | 73.50 | 364.43 | 164 |',
    ]) expect(mx).toContain(row);
    for (const [qps, tps] of [['0.77', '538.50'], ['0.87', '609.62'], ['0.65', '443.56'], ['0.64', '415.90']] as const) {
      expect(mx).toMatch(new RegExp(`\\| ${qps.replace('.', '\\.')} \\| [\\d.,]+ \\| ${tps.replace('.', '\\.')} \\|`));
    }
    const readme = text(locale === 'zh' ? 'README.md' : `README.${locale}.md`);
    for (const s of ['260.37', '348.01', '606.47', '34/40', '1.34×', '0.75×']) expect(readme).toContain(s);
  });

  it('writes a value alike wherever it appears: report, README, chart labels and site card', async () => {
    const { ingest } = await import('../src/pipeline/load.js');
    const { digitsFor, formatFigure, seconds } = await import('../src/render/numbers.js');
    const model = await ingest(artifactsDir);
    // Number tokens a reader sees: raw data (the source's own text) and code left out.
    const seen = (content: string) =>
      content
        .replace(/<details>[\s\S]*?<\/details>/g, '')
        .replace(/```[\s\S]*?```/g, '')
        .replace(/<pre>[\s\S]*?<\/pre>/g, '')
        .match(/(?<![\w.])\d{1,3}(?:,\d{3})*\.\d+(?![\w.])/g) ?? [];
    let checked = 0;
    for (const exp of model.experiments) {
      const digits = digitsFor(exp.runs);
      for (const locale of ['en', 'zh']) {
        const outputs = {
          report: text(`reports/${exp.id}.${locale}.md`),
          readme: text(locale === 'zh' ? 'README.md' : `README.${locale}.md`).split(`](reports/${exp.id}.`)[1]?.split('\n## ')[0] ?? '',
          page: text(`site/${exp.id}.${locale}.html`),
          card: text(locale === 'zh' ? 'site/index.html' : `site/index.${locale}.html`).split('<article class="card">').find((c) => c.includes(`${exp.id}.${locale}.html`)) ?? '',
        };
        for (const run of exp.runs) {
          for (const [v, q] of [
            [run.outputTokenThroughput, 'decodeTps'],
            [run.requestThroughput, 'qps'],
            [seconds(run.latencyMs?.p95), 'latencyS'],
          ] as const) {
            if (v === null) continue;
            const canonical = formatFigure(v, locale, q, digits);
            expect(outputs.report, `${exp.id} ${run.label} ${q}`).toContain(canonical);
            for (const [where, content] of Object.entries(outputs)) {
              // Any rounding of this value that a reader sees is the canonical one.
              for (const token of seen(content)) {
                const n = Number(token.replace(/,/g, ''));
                const half = 0.5 * 10 ** -(token.split('.')[1]?.length ?? 0);
                if (Math.abs(n - v) <= half + 1e-9 && token.replace(/,/g, '').length >= 4) {
                  expect(token, `${exp.id} ${locale} ${where}: ${run.label} ${q}`).toBe(canonical);
                  checked++;
                }
              }
            }
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(100);
    // The headline figures are on the card and the chart labels (the page inlines the SVG charts).
    const card = text('site/index.en.html');
    expect(card).toContain('NVFP4 606.47 tok/s');
    expect(text('site/qwen3_32b_vllm_bench_20251222.en.html')).toMatch(/>606\.47</);
    expect(text('site/qwen3_32b_vllm_bench_20251222.en.html')).toMatch(/>6\.80</);
  });

  it('has no reader-visible line of a Chinese report or README that is English only (code, model ids, units, file names and tool names aside)', () => {
    // Names that stay as they are in Chinese text: units, metrics, hardware, tools, models.
    const kept = new Set(
      'vLLM vllm SGLang CUDA GPU GPUs CPU QPS TTFT TPOT ITL MIG NUMA KV cache dtype tok tokens token ms MiB GiB MB GB TP PP OpenAI Ubuntu LTS Azure NVIDIA RTX Pro Blackwell DC MetaX MetaXLink PCIe SYS MX mean inf gpt oss RedHatAI Instruct HC3 Chinese ShareGPT evalscope perf numactl hardware topo nvidia smi mx compressed tensors torch bench serve chat completions vCPU kernel azure Markdown HTML PDF PNG SVG JSON README GitHub Handlebars Chromium npm benchbook EvalScope AIPerf GuideLLM schema'.split(' '),
    );
    const codeLike = (w: string) => /[\d/=_.\\<>-]/.test(w) || /^[A-Z]+$/.test(w) || kept.has(w.replace(/[*()（）,，、:：;；]/g, ''));
    const offenders: string[] = [];
    for (const [path, content] of rendered.outputs) {
      if (!/^(reports\/.*\.zh\.md|README\.md)$/.test(path)) continue;
      const prose = readerProse(content.toString('utf8'));
      for (const line of prose.split('\n')) {
        for (const cell of line.split('|')) {
          if (/[\u3400-\u9fff]/.test(cell)) continue;
          const words = cell.split(/\s+/).filter((w) => /[A-Za-z]{3,}/.test(w) && !codeLike(w));
          if (words.length > 0) offenders.push(`${path}: ${cell.trim()}`);
        }
      }
    }
    expect(offenders).toEqual([]);
  });

  it('lists the reports newest first in the README, each headline with its load, the notes marked as headline and the charts experiment.yaml chose', () => {
    for (const readme of [text('README.md'), text('README.en.md')]) {
      const order = [...readme.matchAll(/^## \[[^\]]+\]\(reports\/([\w]+)\./gm)].map((m) => m[1]);
      expect(order).toEqual(['gb10_qwen2_5_14b_fp8_vllm_serve_20260318', 'qwen2_5_vl_72b_fp8_vllm_bench_20251222', 'qwen3_32b_vllm_bench_20251222', 'l40x4_gpt_oss_120b_20251103', 'mxc500_qwen2_5_72b_evalscope_20250215']);
      expect(readme).toMatch(/ · c=16 \/ r=64 \/ max\\_tokens=256 · `qwen3_32b_vllm_bench_20251222`/);
      expect(readme).toMatch(/ · c=8–200 \/ r=500–1000 · `mxc500/);
      // The Qwen3 section shows the two charts its experiment.yaml names, in that order.
      const qwen3 = readme.split('## [').find((sec) => sec.includes('(reports/qwen3_32b')) ?? '';
      expect([...qwen3.matchAll(/!\[[^\]]*\]\(images\/qwen3_32b_vllm_bench_20251222-([\w-]+)\./g)].map((m) => m[1])).toEqual(['throughput', 'accuracy-vs-throughput']);
      expect(readme).not.toContain('headline');
    }
    expect(text('README.en.md')).toContain('- **OOM on the first 2-GPU start.** The first TP=2 start');
    expect(text('README.md')).toContain('- **2 卡首次启动 OOM。**');
    // A folder of a server log alone: its model and its findings in one line.
    expect(text('README.en.md')).toContain('- Server-log findings: FP8 scaling factors uncalibrated ×3, generation config overrides the sampling defaults');
    expect(text('reports/qwen2_5_vl_72b_fp8_vllm_bench_20251222.en.md')).not.toMatch(/headline/);
  });

  it('shows every server-log finding of the real vLLM log in full: each FP8 scale warning with its line, the generation-config override, V1, what the load figures are', () => {
    for (const [locale, where] of [['en', ' line '], ['zh', ' 第 ']] as const) {
      const md = text(`reports/gb10_qwen2_5_14b_fp8_vllm_serve_20260318.${locale}.md`);
      for (const line of [61, 62, 63]) expect(md).toMatch(new RegExp(`\`vllm_serve\\.log\`${where}${line}`));
      expect(md).toMatch(locale === 'en' ? /generation config overrides the sampling defaults/ : /generation config 覆盖了默认采样参数/);
      expect(md).toContain("'temperature': 0.7");
      expect(md).toMatch(/\| `vllm_serve\.log` \| V1 \| 0\.13\.0\+faa43dbf\.nv26\.01 \| neuralmagic\/Qwen2\.5-14B-Instruct-FP8-dynamic \| FP8 \(compressed-tensors\) \|/);
      expect(md).toContain(locale === 'en' ? '| 15.22 GiB in 96.1 s |' : '| 15.22 GiB，用时 96.1 秒 |');
      expect(md).not.toMatch(/\(pid|pid \d/);
      expect(md).toMatch(locale === 'en' ? /\| Model \| neuralmagic\/Qwen2\.5-14B-Instruct-FP8-dynamic \|/ : /\| 模型 \| neuralmagic\/Qwen2\.5-14B-Instruct-FP8-dynamic \|/);
      // A folder of a log alone: no empty method or results section, no false "every run completed".
      expect(md).not.toMatch(/## (Method|Results|Validity|测试方法|测试结果|有效性检查)\n/);
    }
  });

  it('shows no TTFT, TPOT or ITL for runs that did not stream: "n/a (non-streaming)" once per run, no such chart', () => {
    const nonStreaming = ['mxc500_qwen2_5_72b_evalscope_20250215', 'qwen2_5_vl_72b_fp8_vllm_bench_20251222', 'qwen3_32b_vllm_bench_20251222'];
    for (const id of nonStreaming) {
      // The MXC500 sweep's vLLM printouts did stream: their TTFT chart is a sweep's, not a comparison's.
      const perToken = [...rendered.outputs.keys()].filter((p) => p.startsWith(`images/${id}-`) && /-(?<!percentiles-)(ttft|tpot|itl)(-\d+)?\.(zh|en)\.png$/.test(p));
      expect(perToken, id).toEqual([]);
      // A percentile chart of TTFT draws only runs that streamed (the MXC500 vLLM printouts).
      const page = text(`site/${id}.en.html`);
      const ttftChart = page.split('<svg').find((svg) => svg.includes('Time to first token by percentile')) ?? '';
      for (const label of ttftChart.match(/aria-label="[^"]*, p\d+: [^"]*"/g) ?? []) expect(label, id).toMatch(/benchmark_serving/);
      expect(text(`reports/${id}.en.md`)).toMatch(/\| n\/a \(non-streaming\) \||The runs were measured without streaming/);
      expect(text(`reports/${id}.zh.md`)).toMatch(/\| 不适用（非流式） \||这些运行未使用流式输出/);
    }
    // Where no run streamed, there is no TTFT column at all, only the sentence that says why.
    const qwen3 = text('reports/qwen3_32b_vllm_bench_20251222.en.md');
    expect(qwen3).not.toMatch(/\| TTFT/);
    expect(qwen3).toContain('The runs were measured without streaming');
    expect(text('reports/mxc500_qwen2_5_72b_evalscope_20250215.en.md')).toContain('| n/a (non-streaming) |');
    // The evalscope summaries printed their end-to-end latency as "time to first token": 65.745 s.
    expect(text('reports/mxc500_qwen2_5_72b_evalscope_20250215.en.md')).not.toContain('65,745');
  });

  it('raises no false alarm: hardware captures that fill the environment table are not problems', () => {
    for (const l of ['en', 'zh']) {
      const report = text(`reports/mxc500_qwen2_5_72b_evalscope_20250215.${l}.md`);
      expect(report).toContain('mx-smi_5.txt');
      expect(report).not.toMatch(/## (Appendix: problems reading the artifacts|附录：读取原始文件时的问题)/);
    }
  });

  it('shows readers no internal identifier: no format id, camelCase key or file:line outside code', async () => {
    const { FORMATS } = await import('../src/parse/registry.js');
    for (const [path, content] of rendered.outputs) {
      if (!/^reports\/.*\.md$/.test(path)) continue;
      const prose = readerProse(content.toString('utf8'));
      // An id that is also a tool's own name (nvidia-smi, numactl, the evalscope-perf package) is a word readers and authors use.
      for (const f of FORMATS.filter((x) => !JSON.stringify(x.name).includes(x.id) && x.id !== 'evalscope-perf')) expect(prose, `${path}: ${f.id}`).not.toMatch(new RegExp(`(^|[^\\w-])${f.id}([^\\w-]|$)`));
      expect(prose, path).not.toMatch(/\b[a-z]+[A-Z][a-z]+[A-Za-z]*\b/); // camelCase
      expect(prose, path).not.toMatch(/\.(json|txt|log):\d+|\.(json|jsonl)#\d+/);
    }
  });

  it('shows every latency figure its source has (the L40 printout: TPOT mean/median/P99, P99 TTFT)', () => {
    const en = text('reports/l40x4_gpt_oss_120b_20251103.en.md');
    expect(en).toContain('| TP=2 rate=inf | TPOT (ms) | 162.63 | 170.06 | 172.12 |');
    expect(en).toContain('| TP=2 rate=inf | TTFT (ms) | 44,669 | 44,621 | 88,298 |');
    expect(text('reports/l40x4_gpt_oss_120b_20251103.zh.md')).toContain('| TP=2 rate=inf | TPOT（毫秒） | 162.63 | 170.06 | 172.12 |');
  });

  it('never ranks runs under different loads together on an index card', () => {
    const cards = text('site/index.en.html').split('<article class="card">').slice(1);
    const card = (id: string) => cards.find((c) => c.includes(`${id}.en.html`)) ?? '';
    // MXC500: the n=500 NUMA runs and the n=1000 sweep are different loads.
    expect(card('mxc500_qwen2_5_72b_evalscope_20250215')).not.toContain('Highest output');
    expect(card('qwen3_32b_vllm_bench_20251222')).toContain('Highest output: NVFP4');
  });

  it('gives a folder of logs alone its hardware and precision: the machine fact, the precision the log serves', () => {
    const cards = text('site/index.en.html').split('<article class="card">').slice(1);
    const gb10 = cards.find((c) => c.includes('gb10_qwen2_5_14b_fp8_vllm_serve_20260318.en.html')) ?? '';
    expect(gb10).toMatch(/<dt>Hardware<\/dt><dd>host promaxgb10 \(NVIDIA GB10\)/);
    expect(gb10).toMatch(/<dt>Precision<\/dt><dd>FP8 \(compressed-tensors\)<\/dd>/);
    expect(text('reports/gb10_qwen2_5_14b_fp8_vllm_serve_20260318.en.md')).toContain('| Hardware | host promaxgb10 (NVIDIA GB10); the log itself names no GPU |');
  });

  it('fills the setup table from launch commands and experiment.yaml, and drops a column no run has a value for', () => {
    const vl = text('reports/qwen2_5_vl_72b_fp8_vllm_bench_20251222.en.md');
    // --tensor-parallel-size 2 --kv-cache-dtype fp8 in experiment.yaml's launch commands; vLLM 0.13.0 in its engine fact.
    expect(vl).toContain('| 2 GPU (TP=2) | RedHatAI/Qwen2.5-VL-72B-Instruct-FP8-dynamic | FP8 (from the model name) | fp8 | 2 | 2 | 0.13.0 |');
    for (const [path, content] of rendered.outputs) {
      if (!/^reports\/.*\.md$/.test(path)) continue;
      const section = /\n## (What was tested|测试对象)\n\n([\s\S]*?)\n\n/.exec(content.toString('utf8'))?.[2] ?? '';
      const rows = section.split('\n').filter((l) => l.startsWith('|')).map((l) => l.split('|').slice(1, -1).map((c) => c.trim()));
      for (let c = 1; c < (rows[0]?.length ?? 0); c++) expect(rows.slice(2).some((r) => r[c] !== '–'), `${path}: column ${rows[0]?.[c]}`).toBe(true);
    }
  });

  it('cites in its provenance only fields its source file has', () => {
    let checked = 0;
    for (const [path, content] of rendered.outputs) {
      const id = /^reports\/(.+)\.en\.md$/.exec(path)?.[1];
      if (!id) continue;
      const table = /\n## Appendix: where the figures come from\n\n[^\n]*\n\n([\s\S]*?)\n\n/.exec(content.toString('utf8'))?.[1] ?? '';
      // One row per format: each formula once, for every file it applies to.
      for (const row of table.split('\n').slice(2)) {
        const cells = row.split(' | ').map((c) => c.replace(/^\| |\|$/g, '').trim());
        for (const file of [...(cells[1] ?? '').matchAll(/`([^`]+)`/g)].map((m) => m[1] as string)) {
          const source = readFileSync(join(artifactsDir, id, file), 'utf8');
          for (const cell of cells.slice(2)) {
            const formula = /^`(.*)`$/.exec(cell)?.[1];
            if (!formula) continue;
            // Quoted labels of a printout, and the field names of a JSON file ("pNN" stands for any percentile).
            const names = [...formula.matchAll(/"([^"]+)"/g)].map((m) => m[1] as string);
            const fields = formula.replace(/"[^"]*"/g, '').match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? [];
            for (const n of [...names, ...fields.filter((f) => f.length > 1 && !/NN/.test(f))]) {
              const label = n.replace(/ \([^)]*\)$/, '').replace(/^(Mean|Median|P99)\/.*$/, 'Mean');
              // Tool versions differ in capitals ("Total Token throughput"), not in words.
              expect(source.toLowerCase(), `${id}/${file}: ${n}`).toContain(label.toLowerCase());
              checked++;
            }
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(20);
  });

  it('says in the appendix how each tool computes its figures, in words of each locale', () => {
    const en = text('reports/mxc500_qwen2_5_72b_evalscope_20250215.en.md');
    expect(en).toContain('How each tool computes these figures:');
    expect(en).toContain('| vllm bench serve printout | request sent to first token received | per request (latency − TTFT) / (output tokens − 1), averaged | gaps between streamed chunks, pooled over all requests | request sent to last token | all output tokens / the run’s wall time |');
    const zh = text('reports/qwen3_32b_vllm_bench_20251222.zh.md');
    // bench_openai's throughput is completed requests × mean output tokens over the wall time.
    expect(zh).toMatch(/\| bench\\_openai\.py 结果 \| 从发出请求到收到最后一个 token \| 成功请求数 × 平均输出 token 数 ÷ 运行总时长 \|/);
  });

  it('cuts a long raw file at a line end and says how much it shows', () => {
    const mx = text('reports/mxc500_qwen2_5_72b_evalscope_20250215.en.md');
    expect(mx).toContain('concurrency_sweep.benchbook.json (first 80 of 143 lines)</summary>');
    const source = readFileSync(join(artifactsDir, 'mxc500_qwen2_5_72b_evalscope_20250215', 'concurrency_sweep.benchbook.json'), 'utf8').split('\n');
    const shown = /concurrency_sweep\.benchbook\.json \(first 80 of 143 lines\)<\/summary>\n\n```json\n([\s\S]*?)\n```/.exec(mx)?.[1]?.split('\n') ?? [];
    expect(shown).toEqual(source.slice(0, 80));
  });

  it('has no empty section and no chart twice: no log kept is one line in the setup', () => {
    for (const [path, content] of rendered.outputs) {
      if (!/^reports\/.*\.md$/.test(path)) continue;
      const md = content.toString('utf8');
      const images = [...md.matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)].map((m) => m[1]);
      expect(new Set(images).size, path).toBe(images.length);
    }
    const vl = text('reports/qwen2_5_vl_72b_fp8_vllm_bench_20251222.en.md');
    expect(vl).not.toContain('## Findings from the server logs');
    expect(vl).toContain('No vLLM server log was kept with this experiment: the setup above comes from');
  });

  it('says each fact of the test environment once: experiment.yaml does not repeat what a capture shows', () => {
    for (const [path, content] of rendered.outputs) {
      if (!/^reports\/.*\.md$/.test(path)) continue;
      const section = /\n## (Test environment|测试环境)\n\n\| \| \|\n\|---\|---\|\n([\s\S]*?)\n\n/.exec(content.toString('utf8'))?.[2] ?? '';
      const keys = section.split('\n').map((l) => l.split(' | ')[0]);
      expect(new Set(keys).size, path).toBe(keys.length);
    }
    expect(text('reports/l40x4_gpt_oss_120b_20251103.en.md')).toContain('| Model | gpt-oss-120b (mxfp4) |');
  });

  it('says the conclusions the figures support, in both languages', () => {
    // The labels say the GPU counts, so the sentence does not say them again ("1 GPU (TP=1) (1 GPU)").
    expect(text('reports/qwen2_5_vl_72b_fp8_vllm_bench_20251222.en.md')).toContain('2 GPU (TP=2) gives 1.34× the output throughput of 1 GPU (TP=1), short of linear 2×: 67% scaling efficiency; mean latency is 0.75×');
    expect(text('reports/qwen2_5_vl_72b_fp8_vllm_bench_20251222.zh.md')).toContain('双卡（TP=2）的输出吞吐是单卡（TP=1）的 1.34×，未达到线性的 2×：扩展效率 67%；平均延迟为 0.75×');
    // 34/40 against 35/40 is one question: within the noise, so no "speed costs accuracy".
    expect(text('reports/qwen3_32b_vllm_bench_20251222.en.md')).toContain('NVFP4, FP8 and BF16 answer 34–35 of 40 questions correctly (85.0%–87.5%): a gap within the noise of 40 questions');
    expect(text('reports/qwen3_32b_vllm_bench_20251222.zh.md')).toContain('NVFP4、FP8 和 BF16 答对 34–35 题（共 40 题，85.0%–87.5%）：差距在 40 道题的统计误差之内');
    for (const l of ['en', 'zh']) expect(text(`reports/qwen3_32b_vllm_bench_20251222.${l}.md`)).not.toMatch(/speed costs|速度以少量准确率为代价/);
    expect(text('reports/mxc500_qwen2_5_72b_evalscope_20250215.en.md')).toContain('Requests start failing at concurrency 64 (14 failed).');
  });
});

describe('bad and hostile artifacts', () => {
  const root = mkdtempSync(join(tmpdir(), 'benchbook-build-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const evil = '<img src=x onerror=alert(1)>';

  beforeAll(() => {
    const exp = join(root, 'artifacts', 'evil_20250101');
    mkdirSync(exp, { recursive: true });
    const bench = JSON.parse(readFileSync(join(artifactsDir, 'qwen3_32b_vllm_bench_20251222', 'bench_fp8_1gpu_c16_r64_mt256.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(exp, 'bench_a_1gpu.json'), JSON.stringify({ ...bench, model: `${evil} | **x** [y](javascript:alert(1))` }));
    writeFileSync(join(exp, 'bench_b_1gpu.json'), JSON.stringify({ ...bench, model: 'plain/model-b' }));
    writeFileSync(join(exp, 'bench_broken.json'), '{"ok": 64, "total_time_s": ');
    writeFileSync(
      join(exp, 'vllm_a.log'),
      [
        'INFO 01-01 10:00:00 [api_server.py:1] vLLM API server version 0.13.0',
        `INFO 01-01 10:00:01 [core.py:93] Initializing a V1 LLM engine (v0.13.0) with config: model='${evil}', dtype=torch.bfloat16, quantization=fp8`,
        'RuntimeError: <script>alert(1)</script> | ``` broken',
      ].join('\n'),
    );
    writeFileSync(join(exp, 'experiment.yaml'), `title:\n  en: "${evil} | # not a heading"\n  zh: "${evil}"\nruns:\n  bench_a_1gpu.json:\n    label: "a|b <b>bold</b>"\n`);
    writeFileSync(join(exp, 'notes.en.md'), `My notes with **Markdown** kept.\n\n<script>alert(1)</script>\n${evil}\n`);
  });

  it('shows artifact text as text: no HTML, no broken tables, in every output', async () => {
    const r = await renderAll(root);
    for (const [path, content] of r.outputs) {
      if (!path.endsWith('.md')) continue;
      const md = content.toString('utf8');
      // Fenced blocks and code spans show their content as text; everything else must be escaped.
      const outsideFences = md.replace(/^(`{3,})[^\n]*\n[\s\S]*?^\1$/gm, '').replace(/(`+)(?!`)[\s\S]*?[^`]\1(?!`)/g, '`code`');
      expect(outsideFences, path).not.toMatch(/<img|<script|<b>/i);
      expect(outsideFences, path).not.toMatch(/(?<!\\)\](\(javascript:)/);
      // every table row has as many unescaped cell separators as its header
      const lines = outsideFences.split('\n');
      let cols = -1;
      for (const line of lines) {
        if (!line.startsWith('|')) {
          cols = -1;
          continue;
        }
        const n = line.replace(/\\\|/g, '').split('|').length;
        if (cols === -1) cols = n;
        else expect(n, `${path}: ${line}`).toBe(cols);
      }
    }
    const en = r.outputs.get('reports/evil_20250101.en.md')?.toString('utf8') ?? '';
    expect(en).toContain('&lt;img src=x onerror=alert\\(1\\)&gt;'.replace('\\(', '(').replace('\\)', ')'));
    expect(en).toContain('My notes with **Markdown** kept.');
    expect(en).toMatch(/^# &lt;img src=x onerror=alert\(1\)&gt; \\\| # not a heading$/m);
    for (const [path, svg] of r.svgs) expect(svg, path).not.toMatch(/<img|<script/);
  }, 60_000);

  it('still reports an experiment with a broken file, and shows the problem in it', async () => {
    const r = await renderAll(root);
    const en = r.outputs.get('reports/evil_20250101.en.md')?.toString('utf8') ?? '';
    expect(en).toContain('## Appendix: problems reading the artifacts');
    // The summary says so in one line, linking the appendix by GitHub's anchor for its heading.
    expect(en).toMatch(/### Conclusions\n[\s\S]*Problems found reading the artifacts: \d+; see the \[appendix\]\(#appendix-problems-reading-the-artifacts\)\.[\s\S]*\n## Test environment/);
    const page = r.outputs.get('site/evil_20250101.en.html')?.toString('utf8') ?? '';
    expect(page).toContain('href="#appendix-problems-reading-the-artifacts"');
    expect(page).toContain('id="appendix-problems-reading-the-artifacts"');
    expect(en).toMatch(/Could not read `bench_broken\.json`: broken JSON/);
    expect(en).toContain('plain/model-b');
    const zh = r.outputs.get('reports/evil_20250101.zh.md')?.toString('utf8') ?? '';
    expect(zh).toMatch(/无法读取 `bench_broken\.json`/);
  }, 60_000);
});

describe('writing', () => {
  it('rewrites only what changed and removes what is no longer produced', async () => {
    const root = mkdtempSync(join(tmpdir(), 'benchbook-write-'));
    try {
      cpSync(join(artifactsDir, 'l40x4_gpt_oss_120b_20251103'), join(root, 'artifacts', 'l40x4_gpt_oss_120b_20251103'), { recursive: true });
      // PDFs aside (their rewriting is the site suite's): a PDF that timed out on a loaded machine would be made by the second build.
      const first = await build(root, { pdf: 'skip' });
      expect(first.written.written).toContain('reports/l40x4_gpt_oss_120b_20251103.en.md');
      writeFileSync(join(root, 'reports', 'old.en.md'), 'stale');
      const mtime = statSync(join(root, 'README.md')).mtimeMs;
      const second = await build(root, { pdf: 'skip' });
      expect(second.written.written).toEqual([]);
      expect(second.written.removed).toEqual(['reports/old.en.md']);
      expect(statSync(join(root, 'README.md')).mtimeMs).toBe(mtime);
      expect(readdirSync(join(root, 'reports')).some((f) => f.includes('benchbook-tmp'))).toBe(false);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }, 60_000);
});
