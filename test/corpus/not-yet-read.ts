/**
 * Corpus files of formats benchbook does not read yet: the to-do of the formats issue (issue 11,
 * "Read every major load generator …"). Each is checked to still be unread, so a format that lands
 * must take its files off this list; the list is empty when that issue closes.
 */
export const NOT_YET_READ: readonly string[] = [
  'gpu-env/amd-smi_list+list-e+static-g0_MI325X-VF_multi-GPU_author-snipped_markdown-excerpt.md',
  'gpu-env/npu-smi-info_24.1.rc3.7_Atlas-A3_8-NPU-x-2-chips_Phy-ID-column_power-dash-on-2nd-chip.txt',
  'gpu-env/rocm-smi_showproductname_W7900+Raphael-iGPU_two-ROCm-builds_hex-Card-Series_vs_names_markdown-excerpt.md',
];
