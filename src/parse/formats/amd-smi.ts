/**
 * AMD `amd-smi list` / `list -e` / `static`: `GPU: <n>` blocks of indented `KEY: value` lines
 * (`BDF`, `UUID`; `static` adds `ASIC: MARKET_NAME`, `VRAM: SIZE`). A capture that pastes several of
 * them lists each GPU several times: it is one device, its details joined. `HIP_ID` (the order HIP
 * programs see) differs from amd-smi's index and is not taken for it.
 */
import type { GpuInfo } from '../../model.js';
import { messages } from '../../messages.js';
import { newEnvironment } from '../environment.js';
import { defineFormat } from '../format.js';
import { splitLines, stripAnsi } from '../text.js';
import { emptyParsed, type Parsed } from '../types.js';

declare module '../../model.js' {
  interface EnvironmentKinds {
    'amd-smi': true;
  }
}

const ID = 'amd-smi';

export default defineFormat({
  id: ID,
  name: { en: 'amd-smi', zh: 'amd-smi' },
  input: 'text',
  yields: 'environment',
  order: 100,
  checkedOn: { en: 'amd-smi of ROCm 6.x (`list`, `list -e`, `static`; MI300X, MI325X VF)', zh: 'ROCm 6.x 的 amd-smi（`list`、`list -e`、`static`；MI300X、MI325X VF）' },
  describes: 'AMD `amd-smi list` / `list -e` / `static` (GPUs listed by several commands counted once)',
  claims: (text) => /^[ \t]*GPU: \d+[ \t]*\r?$/m.test(text) && /^[ \t]+(BDF|MARKET_NAME|UUID): /m.test(text),
  parse(text: string, file: string): Parsed {
    const out = emptyParsed();
    const env = newEnvironment(file, ID);
    const byIndex = new Map<number, GpuInfo>();
    let current: GpuInfo | null = null;
    let section: string | null = null;
    for (const [i, raw] of splitLines(text).entries()) {
      const line = stripAnsi(raw).replace(/\r$/, '');
      const gpu = /^\s*GPU: (\d+)\s*$/.exec(line);
      if (gpu) {
        const index = Number(gpu[1]);
        current = byIndex.get(index) ?? { index, name: '', memoryTotalMiB: null, memoryUsedMiB: null, busId: null, migMode: null, uuid: null };
        byIndex.set(index, current);
        section = null;
        continue;
      }
      if (current === null) continue;
      if (!/^\s/.test(line) && line.trim() !== '') {
        current = null; // a prompt, a heading or the end of the output
        continue;
      }
      const kv = /^\s+([A-Z_]+):\s*(.*?)\s*$/.exec(line);
      if (!kv) continue;
      const [, key, value] = kv as unknown as [string, string, string];
      if (value === '') {
        section = key;
        continue;
      }
      if (key === 'BDF') current.busId ??= value;
      if (key === 'UUID') current.uuid ??= value;
      if (key === 'MARKET_NAME') current.name = value;
      if (section === 'VRAM' && key === 'SIZE') {
        const size = /^(\d+)\s*MB$/i.exec(value);
        if (size) current.memoryTotalMiB = Number(size[1]);
        else out.messages.push(messages.unreadLine(file, i + 1, `VRAM size of GPU ${current.index}`, '"<n> MB"'));
      }
    }
    for (const g of [...byIndex.values()].sort((a, b) => a.index - b.index)) env.gpus.push({ ...g, name: g.name || 'AMD GPU' });
    if (env.gpus.length > 0) {
      out.formats.push(ID);
      out.environments.push(env);
    }
    return out;
  },
});
