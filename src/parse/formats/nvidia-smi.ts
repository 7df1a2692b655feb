/**
 * The `nvidia-smi` status table in all its layouts: pre-R450 (two rows a GPU, no `MIG M.`), R450+
 * (three rows, `MIG M.` column), R580 (header closed with `+---+`), with truncated names, the
 * `MIG devices` table (GPU/GI/CI/MIG Dev, `Shared Memory-Usage` in R580) and any prompt lines.
 */
import type { Environment, GpuInfo } from '../../model.js';
import { messages } from '../../messages.js';
import type { Message } from '../../model.js';
import { newEnvironment } from '../environment.js';
import { cleanLine, splitLines } from '../text.js';
import { emptyParsed, type Parsed } from '../types.js';
import { defineFormat } from '../format.js';

declare module '../../model.js' {
  interface EnvironmentKinds {
    'nvidia-smi': true;
  }
}

const HEADER = /NVIDIA-SMI ([\d.]+)\s+Driver Version: ([\d.]+)\s+CUDA Version: ([\d.]+|N\/A)/;
const GPU_ROW = /^\|\s*(\d+)\s+(.+?)\s+(On|Off)\s*\|\s*([0-9A-Fa-f]{4,8}:[0-9A-Fa-f]{2}:[0-9A-Fa-f]{2}\.\d)\s+(?:On|Off)\s*\|/;
const MEMORY = /(\d+)MiB\s*\/\s*(\d+)MiB/;
const MIG_ROW = /^\|\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\|\s*(\d+)MiB\s*\/\s*(\d+)MiB/;

export function parseNvidiaSmiTable(text: string, file: string, out: Message[] = []): Environment | null {
  const lines = splitLines(text).map((l) => cleanLine(l).text);
  let env: Environment | null = null;
  let hasMigColumn = false;
  let current: GpuInfo | null = null;
  let rowOfGpu = 0;
  let inMig = false;
  let inProcesses = false;
  for (const [i, line] of lines.entries()) {
    const h = HEADER.exec(line);
    if (h) {
      env ??= newEnvironment(file, 'nvidia-smi');
      env.driverVersion = h[2] ?? null;
      env.cudaVersion = h[3] === 'N/A' ? null : (h[3] ?? null);
      inMig = false;
      inProcesses = false;
      continue;
    }
    if (!env) continue;
    if (/\|\s+MIG M\.\s*\|/.test(line)) hasMigColumn = true;
    if (/^\|\s*MIG devices:/.test(line)) {
      inMig = true;
      current = null;
      continue;
    }
    if (/^\|\s*Processes:/.test(line)) {
      inMig = false;
      inProcesses = true;
      current = null;
      continue;
    }
    if (inProcesses) continue;
    if (inMig) {
      const m = MIG_ROW.exec(line);
      if (m) {
        env.migDevices.push({
          gpu: Number(m[1]),
          gi: Number(m[2]),
          ci: Number(m[3]),
          index: Number(m[4]),
          memoryTotalMiB: Number(m[6]),
          profile: null,
        });
      }
      continue;
    }
    const g = GPU_ROW.exec(line);
    if (g) {
      current = {
        index: Number(g[1]),
        name: (g[2] ?? '').trim(),
        memoryTotalMiB: null,
        memoryUsedMiB: null,
        busId: g[4] ?? null,
        migMode: null,
        uuid: null,
      };
      env.gpus.push(current);
      rowOfGpu = 1;
      continue;
    }
    if (!current && /^\|\s*\d+\s+\S.*\|.*\|/.test(line)) {
      out.push(messages.unreadLine(file, i + 1, 'GPU row', '"| <index> <name> <persistence> | <bus id> <display> | …"'));
      continue;
    }
    if (current && line.startsWith('|')) {
      rowOfGpu++;
      if (rowOfGpu === 2) {
        const mem = MEMORY.exec(line);
        if (mem) {
          current.memoryUsedMiB = Number(mem[1]);
          current.memoryTotalMiB = Number(mem[2]);
        } else if (/MiB/.test(line)) out.push(messages.unreadLine(file, i + 1, `memory of GPU ${current.index}`, '"<used>MiB / <total>MiB"'));
      } else if (rowOfGpu === 3 && hasMigColumn) {
        const cellsOf = line.split('|').map((c) => c.trim());
        current.migMode = cellsOf[cellsOf.length - 2] || null;
        current = null;
      }
      continue;
    }
    if (line.startsWith('+')) continue;
    current = null;
  }
  return env;
}

export default defineFormat({
  id: 'nvidia-smi',
  name: { en: 'nvidia-smi table', zh: 'nvidia-smi 表格' },
  input: 'text',
  yields: 'environment',
  order: 60,
  checkedOn: { en: 'drivers 440, 570, 580 (MIG)', zh: '驱动 440、570、580（MIG）' },
  describes: '`nvidia-smi` table (driver, CUDA, GPUs with memory, MIG devices)',
  claims: (text) => HEADER.test(text),
  parse(text: string, file: string): Parsed {
    const out = emptyParsed();
    const env = parseNvidiaSmiTable(text, file, out.messages);
    if (env) {
      out.environments.push(env);
      out.formats.push('nvidia-smi');
    }
    return out;
  },
});
