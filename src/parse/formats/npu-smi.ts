/**
 * Huawei Ascend `npu-smi info`: a version header (`npu-smi 24.1.rc3.7  Version: 24.1.rc3.7`) and two
 * rows per device: `| <NPU> <name> | <health> | <power> <temp> <hugepages> |` then `| <chip>
 * [<phy-id>] | <bus-id> | <AICore%> <memory used / total> <HBM used / total> |`. The A3 layout
 * prints each NPU as two chip blocks (Phy-ID 0…15; the second chip shows `-` for power), the 910B
 * one chip per NPU. Each chip is a device, as vLLM-Ascend counts them; its memory is the HBM total
 * (MB as printed).
 */
import type { GpuInfo } from '../../model.js';
import { messages } from '../../messages.js';
import { newEnvironment } from '../environment.js';
import { defineFormat } from '../format.js';
import { splitLines, stripAnsi } from '../text.js';
import { emptyParsed, type Parsed } from '../types.js';

declare module '../../model.js' {
  interface EnvironmentKinds {
    'npu-smi': true;
  }
}

const ID = 'npu-smi';
const DEVICE = /^\|\s*(\d+)\s+(\S.*?)\s*\|\s*(OK|Warning|Alarm|Critical|\S+)\s*\|/;
const CHIP = /^\|\s*(\d+)(?:\s+(\d+))?\s*\|\s*([0-9A-Fa-f]{4}:[0-9A-Fa-f]{2}:[0-9A-Fa-f]{2}\.\d)\s*\|(.*)\|\s*$/;

export default defineFormat({
  id: ID,
  name: { en: 'npu-smi info', zh: 'npu-smi info 输出' },
  input: 'text',
  yields: 'environment',
  order: 100,
  checkedOn: { en: 'npu-smi 23.0 (910B), 24.1.rc3 (Atlas A3)', zh: 'npu-smi 23.0（910B）、24.1.rc3（Atlas A3）' },
  describes: 'Huawei Ascend `npu-smi info` (910B one chip per NPU, A3 two chips per NPU)',
  claims: (text) => /^\|\s*npu-smi\s+[\w.]+/m.test(text),
  parse(text: string, file: string): Parsed {
    const out = emptyParsed();
    const env = newEnvironment(file, ID);
    let name: string | null = null;
    let inProcesses = false;
    for (const [i, raw] of splitLines(text).entries()) {
      const line = stripAnsi(raw).replace(/\r$/, '').trim();
      const v = /^\|\s*npu-smi\s+\S+\s+Version:\s*(\S+)/.exec(line);
      if (v) env.driverVersion = v[1] ?? null;
      if (/\|\s*NPU\s+Chip\s*\|\s*Process id/.test(line)) inProcesses = true;
      if (inProcesses || !line.startsWith('|') || /^\|\s*(NPU|Chip)\s/.test(line)) continue;
      const chip = CHIP.exec(line);
      if (chip) {
        if (name === null) {
          out.messages.push(messages.unreadLine(file, i + 1, 'chip row', 'a "| <NPU> <name> | <health> |" row before it'));
          continue;
        }
        const hbm = /(\d+)\s*\/\s*(\d+)\s*$/.exec((chip[4] ?? '').trim());
        const gpu: GpuInfo = {
          index: chip[2] !== undefined ? Number(chip[2]) : env.gpus.length,
          name,
          memoryTotalMiB: hbm ? Number(hbm[2]) : null,
          memoryUsedMiB: hbm ? Number(hbm[1]) : null,
          busId: chip[3] ?? null,
          migMode: null,
          uuid: null,
        };
        if (!hbm) out.messages.push(messages.unreadLine(file, i + 1, `memory of NPU chip ${gpu.index}`, '"<used> / <total>" HBM usage'));
        env.gpus.push(gpu);
        continue;
      }
      const device = DEVICE.exec(line);
      if (device) name = device[2] ?? null;
    }
    if (env.gpus.length > 0 || env.driverVersion !== null) {
      out.formats.push(ID);
      out.environments.push(env);
    }
    return out;
  },
});
