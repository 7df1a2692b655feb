// Expected values were read from the files in ../shared/corpus by a person.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { corpusDir, parseAt } from '../helpers/files.js';

describe('accuracy results', () => {
  it('reads lm-evaluation-harness 0.4 results JSON', () => {
    const { parsed } = parseAt(join(corpusDir, 'eval-results', 'lm-eval_v0.4.2_results_Meta-Llama-3-8B-Instruct_gsm8k_5shot.json'));
    expect(parsed.accuracy).toEqual([
      {
        file: 'lm-eval_v0.4.2_results_Meta-Llama-3-8B-Instruct_gsm8k_5shot.json',
        format: 'lm-eval-json',
        model: 'meta-llama/Meta-Llama-3-8B-Instruct',
        tasks: [
          { task: 'gsm8k', metric: 'exact_match,strict-match', value: 0.7558756633813495, stderr: 0.011832404674077592, correct: null, total: null, variant: null },
          { task: 'gsm8k', metric: 'exact_match,flexible-extract', value: 0.7528430629264594, stderr: 0.011881764043717087, correct: null, total: null, variant: null },
        ],
      },
    ]);
  });
  it('reads lm-eval 0.4.x of 2025: n-samples give correct of total for a 0/1 metric; a custom model by its model_name', () => {
    const { parsed, unrecognised } = parseAt(join(corpusDir, 'eval-results', 'lm-eval_0.4.x_2025-01_results_mmlu_abstract_algebra_custom-model_n-samples_higher_is_better_time-as-string.json'));
    expect(unrecognised).toBeNull();
    expect(parsed.messages).toEqual([]);
    expect(parsed.accuracy[0]?.model).toBe('/home/cs29824/matthew/lm-evaluation-harness/examples/dog_steer.csv');
    expect(parsed.accuracy[0]?.tasks.map((t) => [t.task, t.metric, t.value, t.stderr, t.correct, t.total])).toEqual([
      ['mmlu_abstract_algebra', 'acc,none', 0.34, 0.047609522856952344, 34, 100],
    ]);
  });
  it('reads lm-eval\'s own group regression snapshot: the group and its tasks, "N/A" stderr as none, no sample_len as a metric', () => {
    const { parsed, unrecognised } = parseAt(join(corpusDir, 'eval-results', 'lm-eval_0.4.x_2026-08_tool-fixture_group-regression_groups_stderr-NA-strings_tables.json'));
    expect(unrecognised).toBeNull();
    expect(parsed.messages).toEqual([]);
    expect(parsed.accuracy[0]?.tasks.map((t) => [t.task, t.metric, t.value, t.stderr, t.correct, t.total])).toEqual([
      ['arc_challenge', 'acc,none', 0, null, 0, 10],
      ['arc_challenge', 'acc_norm,none', 0, null, 0, 10],
      ['arc_easy', 'acc,none', 0.3, null, 3, 10],
      ['arc_easy', 'acc_norm,none', 0.1, null, 1, 10],
      // The group's sample_count: both tasks' 10 samples.
      ['regression_arc', 'acc,none', 0.15, null, 3, 20],
      ['regression_arc', 'acc_norm,none', 0.05, null, 1, 20],
    ]);
  });
  it('reads the evalscope 0.11 eval summary table', () => {
    const { parsed } = parseAt(join(corpusDir, 'eval-results', 'evalscope_0.11_eval_printed_summary_table_r1-distill-1.5b.txt'));
    expect(parsed.accuracy[0]?.tasks.map((t) => [t.task, t.value, t.total])).toEqual([
      ['math_500', 0.7832, 500],
      ['gpqa', 0.3434, 198],
      ['aime24', 0.2, 30],
    ]);
  });
  it('reads the evalscope 1.x eval report: a task per metric, the correct count only where the score counts the samples', () => {
    const { parsed, unrecognised } = parseAt(join(corpusDir, 'eval-results', 'evalscope_1.x_eval-report_examples-viz_qwen3-max_ifeval_four-metrics_nested-categories.json'));
    expect(unrecognised).toBeNull();
    expect(parsed.messages).toEqual([]);
    expect(parsed.accuracy[0]?.model).toBe('qwen3-max');
    expect(parsed.accuracy[0]?.tasks.map((t) => [t.task, t.metric, t.value, t.correct, t.total])).toEqual([
      ['IFEval', 'mean_prompt_level_strict', 0.8, 8, 10],
      ['IFEval', 'mean_inst_level_strict', 0.8667, null, null], // over instructions, not the 10 prompts
      ['IFEval', 'mean_prompt_level_loose', 0.9, 9, 10],
      ['IFEval', 'mean_inst_level_loose', 0.9667, null, null],
    ]);
    expect(parsed.runs).toEqual([]); // perf_metrics of the evaluation's requests is not a benchmark
  });
});

describe('nvidia-smi captures', () => {
  const dir = join(corpusDir, 'nvidia-smi');
  it('reads the pre-MIG R440 layout with truncated names', () => {
    const env = parseAt(join(dir, 'smi_440.33.01_8xP100-SXM2_pre-MIG-layout_truncated-names_process-rows.txt')).parsed.environments[0];
    expect(env).toMatchObject({ kind: 'nvidia-smi', driverVersion: '440.33.01', cudaVersion: '10.2' });
    expect(env?.gpus).toHaveLength(8);
    expect(env?.gpus[0]).toEqual({ index: 0, name: 'Tesla P100-SXM2...', memoryTotalMiB: 16280, memoryUsedMiB: 10, busId: '00000000:04:00.0', migMode: null, uuid: null });
    expect(env?.gpus[7]?.memoryUsedMiB).toBe(13684);
  });
  it('reads the R570 layout with MIG M. N/A', () => {
    const env = parseAt(join(dir, 'smi_570.148.08_L4_openshift-pod.txt')).parsed.environments[0];
    expect(env).toMatchObject({ driverVersion: '570.148.08', cudaVersion: '12.8' });
    expect(env?.gpus).toEqual([{ index: 0, name: 'NVIDIA L4', memoryTotalMiB: 23034, memoryUsedMiB: 19370, busId: '00000000:3A:00.0', migMode: 'N/A', uuid: null }]);
  });
  it('reads R580 MIG devices, merged with nvidia-smi -L profiles and UUIDs', () => {
    const env = parseAt(join(dir, 'smi_580.126.09_A100-SXM4-40GB_MIG_4g+2x1c.2g+1g_shared-CIs_plus-L.txt')).parsed.environments[0];
    expect(env).toMatchObject({ kind: 'nvidia-smi', sections: ['nvidia-smi', 'nvidia-smi-list'], driverVersion: '580.126.09', cudaVersion: '13.0' });
    expect(env?.gpus).toHaveLength(8);
    expect(env?.gpus[0]).toMatchObject({ name: 'NVIDIA A100-SXM4-40GB', migMode: 'Enabled', memoryTotalMiB: 40960, uuid: 'GPU-9e4aeb94-01c0-5173-4811-4ca60f77b3a9' });
    expect(env?.gpus[7]?.uuid).toBe('GPU-e38bb82d-2bd3-41b0-1c6e-db7d90e6ae19');
    expect(env?.migDevices).toEqual([
      { gpu: 0, gi: 2, ci: 0, index: 0, memoryTotalMiB: 20096, profile: '4g.20gb' },
      { gpu: 0, gi: 3, ci: 0, index: 1, memoryTotalMiB: 9984, profile: '1c.2g.10gb' },
      { gpu: 0, gi: 3, ci: 1, index: 2, memoryTotalMiB: 9984, profile: '1c.2g.10gb' },
      { gpu: 0, gi: 9, ci: 0, index: 3, memoryTotalMiB: 4864, profile: '1g.5gb' },
    ]);
  });
  it('reads the table, -L and -q pasted in one Markdown file', () => {
    const env = parseAt(join(dir, 'smi-q_580.126.09_A100-SXM4-40GB_GCP_smi+L+q-d-MEMORY-UTILIZATION-COMPUTE_head40_markdown.md')).parsed.environments[0];
    expect(env?.sections).toEqual(['nvidia-smi', 'nvidia-smi-list', 'nvidia-smi-query']);
    expect(env?.gpus).toEqual([
      { index: 0, name: 'NVIDIA A100-SXM4-40GB', memoryTotalMiB: 40960, memoryUsedMiB: 0, busId: '00000000:00:04.0', migMode: 'Disabled', uuid: 'GPU-5428af19-1e82-a38c-ee42-cdd3ad745b7e' },
    ]);
  });
  it('reads a node record: the --query-gpu CSV (units in the header and the values), the lone NVIDIA-SMI header line, a TAB-separated NV18 matrix', () => {
    const { parsed, unrecognised } = parseAt(join(dir, 'node-record_2026-10_8xH200-143771MiB_570.211.01_query-gpu-csv+smi-header-line+topo-m-TAB_NV18_8NIC_vllm-0.19.1.md'));
    expect(unrecognised).toBeNull();
    const env = parsed.environments[0];
    expect(env?.sections).toEqual(['nvidia-smi', 'nvidia-smi-csv', 'nvidia-smi-topo']);
    expect(env).toMatchObject({ driverVersion: '570.211.01', cudaVersion: '12.8' });
    expect(env?.gpus.map((g) => [g.index, g.name, g.memoryTotalMiB])).toEqual([0, 1, 2, 3, 4, 5, 6, 7].map((i) => [i, 'NVIDIA H200', 143771]));
    // 8 GPUs and 8 NICs, every pair both ways.
    expect(env?.links).toHaveLength(16 * 15);
    expect(env?.links).toContainEqual({ from: 'GPU0', to: 'GPU7', type: 'NV18' });
    expect(env?.links).toContainEqual({ from: 'GPU0', to: 'NIC4', type: 'PIX' });
    expect(env?.numaAffinity).toMatchObject({ GPU0: '0', GPU4: '1' });
    expect(env?.cpuAffinity['GPU7']).toBe('64-127,192-255');
  });
  it('reads the 16×16 topology matrix without splitting the affinity headers', () => {
    const env = parseAt(join(dir, 'topo-m_8xA100-SXM4-80GB_NV12_8xNIC_legend+NIC-legend.txt')).parsed.environments[0];
    expect(env?.kind).toBe('nvidia-smi-topo');
    expect(env?.links).toHaveLength(16 * 15);
    expect(env?.links).toContainEqual({ from: 'GPU0', to: 'GPU1', type: 'NV12' });
    expect(env?.links).toContainEqual({ from: 'GPU0', to: 'NIC0', type: 'PXB' });
    expect(env?.links).toContainEqual({ from: 'NIC7', to: 'NIC6', type: 'PIX' });
    expect(env?.cpuAffinity).toEqual({ GPU0: '0-31,64-95', GPU1: '0-31,64-95', GPU2: '0-31,64-95', GPU3: '0-31,64-95', GPU4: '32-63,96-127', GPU5: '32-63,96-127', GPU6: '32-63,96-127', GPU7: '32-63,96-127' });
    expect(env?.numaAffinity['GPU4']).toBe('1');
    expect(env?.numaAffinity['NIC0']).toBeUndefined();
  });
});

describe('Ascend npu-smi info (Atlas A3, 8 NPUs × 2 chips)', () => {
  it('reads every chip as a device with its Phy-ID, bus id and HBM; the second chip\'s "-" power is no problem', () => {
    const { parsed, unrecognised } = parseAt(join(corpusDir, 'gpu-env', 'npu-smi-info_24.1.rc3.7_Atlas-A3_8-NPU-x-2-chips_Phy-ID-column_power-dash-on-2nd-chip.txt'));
    expect(unrecognised).toBeNull();
    expect(parsed.messages).toEqual([]);
    const env = parsed.environments[0];
    expect(env?.kind).toBe('npu-smi');
    expect(env?.driverVersion).toBe('24.1.rc3.7');
    expect(env?.gpus.map((g) => g.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
    expect(env?.gpus[0]).toEqual({ index: 0, name: 'Ascend910', memoryTotalMiB: 65536, memoryUsedMiB: 3412, busId: '0000:9D:00.0', migMode: null, uuid: null });
    expect(env?.gpus[15]).toMatchObject({ busId: '0000:83:00.0', memoryUsedMiB: 3188 });
  });
});

describe('AMD captures', () => {
  it('amd-smi list, list -e and static: each GPU once, the market name where static gave one, HIP order not taken for the index', () => {
    const { parsed, unrecognised } = parseAt(join(corpusDir, 'gpu-env', 'amd-smi_list+list-e+static-g0_MI325X-VF_multi-GPU_author-snipped_markdown-excerpt.md'));
    expect(unrecognised).toBeNull();
    // The fences around each output are taken off and said so; nothing else is a problem.
    expect(parsed.messages.map((m) => m.rule)).toEqual(['unwrapped']);
    expect(parsed.environments[0]?.gpus).toEqual([
      { index: 0, name: 'AMD Instinct Mi325X VF', memoryTotalMiB: null, memoryUsedMiB: null, busId: '0000:83:00.0', migMode: null, uuid: '9fff74b9-0000-1000-8044-4a2fb30adeb0' },
      { index: 1, name: 'AMD GPU', memoryTotalMiB: null, memoryUsedMiB: null, busId: '0000:8b:00.0', migMode: null, uuid: 'b7ff74b9-0000-1000-80d1-81671a192e45' },
    ]);
  });

  it('rocm-smi of two builds: each GPU once, named by the build that prints names, the iGPU included', () => {
    const { parsed, unrecognised } = parseAt(join(corpusDir, 'gpu-env', 'rocm-smi_showproductname_W7900+Raphael-iGPU_two-ROCm-builds_hex-Card-Series_vs_names_markdown-excerpt.md'));
    expect(unrecognised).toBeNull();
    expect(parsed.messages).toEqual([]);
    expect(parsed.environments[0]?.gpus.map((g) => [g.index, g.name])).toEqual([
      [0, 'Navi 31 [Radeon Pro W7900]'],
      [1, 'Raphael'],
    ]);
  });
});
