// The bad-input corpus (test/fixtures/bad/, cases.json says what each file must give) plus cases
// that cannot live in git as files (links out of the tree, a 10 MB line, folder layouts). Every
// case sits beside a good result, which must still come through.
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderAll, type Rendered } from '../src/build.js';
import { main } from '../src/cli/main.js';
import { ingest } from '../src/pipeline/load.js';
import type { Model } from '../src/model.js';
import { artifactsDir, fixturesDir } from './helpers/files.js';

interface Case {
  file: string;
  rule: string;
  place: 'line' | 'pointer' | null;
  severity: 'error' | 'warning' | 'info' | 'none';
}

const cases = JSON.parse(readFileSync(join(fixturesDir, 'bad', 'cases.json'), 'utf8')) as Case[];
const good = join(artifactsDir, 'qwen3_32b_vllm_bench_20251222', 'bench_bf16_1gpu_c16_r64_mt256.json');
const root = mkdtempSync(join(tmpdir(), 'benchbook-bad-'));
const artifacts = join(root, 'artifacts');
const expId = (c: Case) => `${c.file.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '')}_20250101`;

function experiment(id: string, files: Record<string, string | Buffer> = {}): string {
  const dir = join(artifacts, id);
  mkdirSync(dir, { recursive: true });
  copyFileSync(good, join(dir, 'bench_good.json'));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

let model: Model;
let rendered: Rendered;

beforeAll(async () => {
  for (const c of cases) copyFileSync(join(fixturesDir, 'bad', c.file), join(experiment(expId(c)), c.file));
  // Cases built at run time.
  mkdirSync(join(root, 'outside'));
  writeFileSync(join(root, 'outside', 'secret.json'), readFileSync(good));
  symlinkSync(join(root, 'outside', 'secret.json'), join(experiment('symlink-outside_20250101'), 'leak.json'));
  const noResults = join(artifacts, 'no-results_20250101');
  mkdirSync(noResults, { recursive: true });
  copyFileSync(join(artifactsDir, 'l40x4_gpt_oss_120b_20251103', 'nvidia-smi.txt'), join(noResults, 'nvidia-smi.txt'));
  experiment('yaml-unknown-keys_20250101', { 'experiment.yaml': 'title: T\ncolour: blue\nruns:\n  bench_good.json:\n    lable: typo\n' });
  experiment('yaml-wrong-types_20250101', { 'experiment.yaml': 'title: T\nruns:\n  bench_good.json:\n    gpus: two\n' });
  experiment('yaml-broken-syntax_20250101', { 'experiment.yaml': 'title: [unclosed\nbaseline: x\n' });
  experiment('yaml-names-missing-file_20250101', { 'experiment.yaml': 'runs:\n  bench_good.json:\n    serverLog: vllm_nowhere.log\n' });
  const log = (model: string) => `INFO 01-01 10:00:00 [api_server.py:1] vLLM API server version 0.13.0\nINFO 01-01 10:00:01 [core.py:93] Initializing a V1 LLM engine (v0.13.0) with config: model='${model}'\n`;
  experiment('mismatched-pair_20250101', { 'vllm_nvfp4.log': log('a'), 'vllm_awq.log': log('b') });
  experiment('long-single-line_20250101', { 'long.txt': 'x'.repeat(10 << 20) });
  mkdirSync(join(artifacts, 'scratch'));
  experiment('bad-date_20250231');
  writeFileSync(join(artifacts, 'loose-result.json'), readFileSync(good));
  cpSync(join(artifactsDir, 'qwen3_32b_vllm_bench_20251222'), join(artifacts, 'qwen3_32b_vllm_bench_20251222'), { recursive: true });
  model = await ingest(artifacts);
  rendered = await renderAll(root);
}, 120_000);

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('bad-input corpus', () => {
  it('has at least 50 cases, each named after what it is', () => {
    expect(cases.length).toBeGreaterThanOrEqual(50);
    expect(new Set(cases.map((c) => c.file)).size).toBe(cases.length);
  });

  it.each(cases.map((c) => [c.file, c] as const))('%s', (_name, c) => {
    const id = expId(c);
    const exp = model.experiments.find((e) => e.id === id);
    expect(exp, id).toBeDefined();
    expect(exp?.runs.some((r) => r.file === 'bench_good.json'), 'the good result beside it still comes through').toBe(true);
    const mine = model.messages.filter((m) => m.file === `${id}/${c.file}`);
    if (c.rule === 'none' || c.rule === 'escaped') {
      expect(mine.filter((m) => m.severity !== 'info')).toEqual([]);
    } else {
      const hit = mine.find((m) => m.rule === c.rule);
      expect(hit, `${c.file}: expected a ${c.rule} message, got ${JSON.stringify(mine)}`).toBeDefined();
      expect(hit?.severity).toBe(c.severity);
      if (c.place === 'line') expect(hit?.line, 'names the line').toBeGreaterThan(0);
      if (c.place === 'pointer') expect(typeof hit?.pointer, 'names the JSON pointer').toBe('string');
      expect(hit?.text.length).toBeGreaterThan(10);
    }
    // Its report is written, and shows the problem.
    const report = rendered.outputs.get(`reports/${id}.en.md`)?.toString('utf8') ?? '';
    expect(report).toContain('<summary>bench_good.json</summary>'); // the good file beside it was read as a result
    if (c.severity === 'error') expect(report).toContain('## Appendix: problems reading the artifacts');
  });

  it('escapes injected HTML, Markdown and log text in every report', () => {
    for (const [path, content] of rendered.outputs) {
      if (!path.endsWith('.md')) continue;
      const text = content.toString('utf8').replace(/^(`{3,})[^\n]*\n[\s\S]*?^\1$/gm, '').replace(/(`+)(?!`)[\s\S]*?[^`]\1(?!`)/g, '`code`');
      expect(text, path).not.toMatch(/<img|<script/i);
      expect(text, path).not.toMatch(/(?<!\\)\]\(javascript:/);
      expect(text, path).not.toMatch(/^# heading/m);
    }
  });
});

describe('folder-level bad input', () => {
  const rules = (file: string) => model.messages.filter((m) => m.file === file).map((m) => m.rule);
  it('does not follow a link out of the artifacts folder', () => {
    expect(rules('symlink-outside_20250101/leak.json')).toEqual(['symlink-outside']);
    expect(model.experiments.find((e) => e.id === 'symlink-outside_20250101')?.runs.map((r) => r.file)).toEqual(['bench_good.json']);
  });
  it('reports an experiment with no results', () => {
    expect(rules('no-results_20250101')).toContain('no-results');
  });
  it('reports experiment.yaml problems with pointer and line, and builds anyway', () => {
    const byRule = (id: string, rule: string) => model.messages.find((m) => m.file === `${id}/experiment.yaml` && m.rule === rule);
    expect(byRule('yaml-unknown-keys_20250101', 'experiment-yaml-unknown-key')).toMatchObject({ pointer: '/colour', line: 2 });
    expect(byRule('yaml-wrong-types_20250101', 'experiment-yaml')).toMatchObject({ pointer: '/runs/bench_good.json/gpus', line: 4, severity: 'error' });
    expect(byRule('yaml-broken-syntax_20250101', 'experiment-yaml')?.line).toBeGreaterThan(0);
    expect(model.messages.find((m) => m.file === 'yaml-names-missing-file_20250101/experiment.yaml')?.rule).toBe('experiment-yaml-missing-file');
    for (const id of ['yaml-unknown-keys_20250101', 'yaml-wrong-types_20250101', 'yaml-broken-syntax_20250101']) expect(rendered.outputs.has(`reports/${id}.zh.md`)).toBe(true);
  });
  it('lists logs that pair with no run', () => {
    const exp = model.experiments.find((e) => e.id === 'mismatched-pair_20250101');
    expect(exp?.runs[0]?.serverLog).toBeNull();
    expect(exp?.unpaired).toEqual(['vllm_awq.log', 'vllm_nvfp4.log']);
  });
  it('reads past a 10 MB single line', () => {
    expect(model.experiments.find((e) => e.id === 'long-single-line_20250101')?.unrecognised.map((u) => u.file)).toEqual(['long.txt']);
  });
  it('reports folders and files out of place', () => {
    expect(rules('scratch')).toEqual(['not-an-experiment']);
    expect(rules('bad-date_20250231')).toEqual(['bad-date']);
    expect(rules('loose-result.json')).toEqual(['outside-experiment']);
  });
  it('--strict exits 1, and 0 without it', async () => {
    const io = { stdout: { write: () => true }, stderr: { write: () => true } };
    expect(await main(['inspect', artifacts, '--strict'], io)).toBe(1);
    expect(await main(['inspect', artifacts], io)).toBe(0);
  });
});
