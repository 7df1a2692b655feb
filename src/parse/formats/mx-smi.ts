/** MetaX `mx-smi` status: version header, per-GPU two-row cells (index/name/bus, temp/power/memory). */
import type { GpuInfo } from '../../model.js';
import { messages } from '../../messages.js';
import { newEnvironment } from '../environment.js';
import { cleanLine, splitLines } from '../text.js';
import { emptyParsed, type Parsed } from '../types.js';
import { defineFormat } from '../format.js';

declare module '../../model.js' {
  interface EnvironmentKinds {
    'mx-smi': true;
  }
}

export default defineFormat({
  id: 'mx-smi',
  name: { en: 'mx-smi table', zh: 'mx-smi 表格' },
  input: 'text',
  yields: 'environment',
  order: 100,
  checkedOn: { en: 'MetaX mx-smi 2.x (sample experiment)', zh: 'MetaX mx-smi 2.x（示例实验）' },
  describes: 'MetaX `mx-smi` table (driver, GPUs with memory)',
  claims: (text) => /MX-SMI [\d.]+/.test(text) || /MetaX System Management Interface/.test(text),
  parse(text: string, file: string): Parsed {
    const out = emptyParsed();
    const env = newEnvironment(file, 'mx-smi');
    let current: GpuInfo | null = null;
    let inProcesses = false;
    for (const [i, raw] of splitLines(text).entries()) {
      const line = cleanLine(raw).text;
      const drv = /Kernel Mode Driver Version: ([\w.]+)/.exec(line);
      if (drv) env.driverVersion = drv[1] ?? null;
      if (/\|\s*Process:/.test(line)) inProcesses = true;
      if (inProcesses || !line.startsWith('|')) {
        if (line.startsWith('+')) continue;
        current = null;
        continue;
      }
      const g = /^\|\s*(\d+)\s+(\S.*?)\s*\|\s*([0-9a-fA-F]{4}:[0-9a-fA-F]{2}:[0-9a-fA-F]{2}\.\d)\s*\|/.exec(line);
      if (g) {
        current = { index: Number(g[1]), name: g[2] ?? '', memoryTotalMiB: null, memoryUsedMiB: null, busId: g[3] ?? null, migMode: null, uuid: null };
        env.gpus.push(current);
        continue;
      }
      if (/^\|\s*\d+\s+\S/.test(line) && !current) {
        out.messages.push(messages.unreadLine(file, i + 1, 'GPU row', '"| <index> <name> | <bus id> |"'));
        continue;
      }
      const mem = /(\d+)\/(\d+) MiB/.exec(line);
      if (current && mem) {
        current.memoryUsedMiB = Number(mem[1]);
        current.memoryTotalMiB = Number(mem[2]);
        current = null;
      } else if (current && /MiB/.test(line)) {
        out.messages.push(messages.unreadLine(file, i + 1, `memory of GPU ${current.index}`, '"<used>/<total> MiB"'));
        current = null;
      }
    }
    if (env.gpus.length > 0 || env.driverVersion) {
      out.environments.push(env);
      out.formats.push('mx-smi');
    }
    return out;
  },
});
