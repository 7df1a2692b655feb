import { describe, expect, it } from 'vitest';
import { readExperimentConfig } from '../../src/assemble/experiment-config.js';

describe('experiment.yaml', () => {
  it('reads titles per locale, baseline, runs and facts', () => {
    const { config, messages } = readExperimentConfig(
      ['title:', '  zh: 标题', '  en: Title', 'goal: One goal', 'baseline: a.json', 'runs:', '  a.json:', '    label: A', '    gpus: 2', 'facts:', '  driver: "580.1"'].join('\n'),
      'experiment.yaml',
    );
    expect(messages).toEqual([]);
    expect(config).toEqual({
      title: { zh: '标题', en: 'Title' },
      goal: { default: 'One goal' },
      baseline: 'a.json',
      runs: { 'a.json': { label: 'A', gpus: 2 } },
      facts: { driver: '580.1' },
      readme: { charts: null },
      slo: null,
    });
  });

  it('reads an SLO as a preset or as limits, and names a wrong one by its line', () => {
    expect(readExperimentConfig('slo: mlperf-llama2-70b\n', 'experiment.yaml').config?.slo).toEqual({
      name: 'mlperf-llama2-70b',
      checks: [{ metric: 'ttft', stat: 'p99', limitMs: 2000 }, { metric: 'tpot', stat: 'p99', limitMs: 200 }],
    });
    expect(readExperimentConfig('slo:\n  ttftMs: {p99: 500}\n  e2eMs: {p95: 8000}\n', 'experiment.yaml').config?.slo).toEqual({
      name: null,
      checks: [{ metric: 'ttft', stat: 'p99', limitMs: 500 }, { metric: 'e2e', stat: 'p95', limitMs: 8000 }],
    });
    const bad = readExperimentConfig('title: T\nslo:\n  ttftMs: {p98: 500}\n', 'experiment.yaml');
    expect(bad.config).toBeNull();
    expect(bad.messages[0]).toMatchObject({ rule: 'experiment-yaml', line: 3 });
  });

  it('reads labels and facts per locale, and the README charts by kind; an unknown chart kind is an error with its line', () => {
    const { config } = readExperimentConfig('runs:\n  a.json:\n    label: {zh: 不绑定, en: no binding}\nfacts:\n  os: {zh: 内核 6.8, en: kernel 6.8}\nreadme:\n  charts: [accuracy, throughput]\n', 'experiment.yaml');
    expect(config?.runs['a.json']?.label).toEqual({ zh: '不绑定', en: 'no binding' });
    expect(config?.facts['os']).toEqual({ zh: '内核 6.8', en: 'kernel 6.8' });
    expect(config?.readme.charts).toEqual(['accuracy', 'throughput']);
    const bad = readExperimentConfig('readme:\n  charts: [throughput, pie]\n', 'experiment.yaml');
    expect(bad.messages).toEqual([expect.objectContaining({ rule: 'experiment-yaml', severity: 'error', pointer: '/readme/charts/1', line: 2 })]);
  });

  it('warns about unknown keys with their line, and still reads the rest', () => {
    const { config, messages } = readExperimentConfig('title: T\ncolour: blue\nruns:\n  a.json:\n    lable: typo\n', 'experiment.yaml');
    expect(config?.title).toEqual({ default: 'T' });
    expect(messages.map((m) => [m.rule, m.pointer, m.line])).toEqual([
      ['experiment-yaml-unknown-key', '/colour', 2],
      ['experiment-yaml-unknown-key', '/runs/a.json/lable', 5],
    ]);
  });

  it('rejects wrong types with a pointer and a line', () => {
    const { config, messages } = readExperimentConfig('title: T\nruns:\n  a.json:\n    gpus: two\n', 'experiment.yaml');
    expect(config).toBeNull();
    expect(messages).toEqual([expect.objectContaining({ rule: 'experiment-yaml', severity: 'error', pointer: '/runs/a.json/gpus', line: 4 })]);
  });

  it('reports broken YAML with its line', () => {
    const { config, messages } = readExperimentConfig('title: [unclosed\nbaseline: x\n', 'experiment.yaml');
    expect(config).toBeNull();
    expect(messages[0]).toMatchObject({ rule: 'experiment-yaml', severity: 'error' });
    expect(messages[0]?.line).toBeGreaterThan(0);
  });
});
