/**
 * AMD `rocm-smi` (`--showproductname` and the like): `GPU[<n>] : <Key>: <value>` lines. Builds
 * differ in case (`Card Series` / `Card series`) and in what they print: some name the series
 * (`Navi 31 [Radeon Pro W7900]`), some only its PCI id (`0x7448`). A capture pasting several runs
 * lists each GPU once, named by the first series that is a name (else its SKU and GFX version).
 * An integrated GPU is a GPU like any other here (`RAPHAEL`).
 */
import type { GpuInfo } from '../../model.js';
import { messages } from '../../messages.js';
import { newEnvironment } from '../environment.js';
import { defineFormat } from '../format.js';
import { splitLines, stripAnsi } from '../text.js';
import { emptyParsed, type Parsed } from '../types.js';

declare module '../../model.js' {
  interface EnvironmentKinds {
    'rocm-smi': true;
  }
}

const ID = 'rocm-smi';
const LINE = /^\s*GPU\[(\d+)\]\s*:\s*([^:]+?):\s*(.*?)\s*$/;

export default defineFormat({
  id: ID,
  name: { en: 'rocm-smi', zh: 'rocm-smi' },
  input: 'text',
  yields: 'environment',
  order: 100,
  checkedOn: { en: 'rocm-smi of ROCm 6.x (Ubuntu and Arch builds)', zh: 'ROCm 6.x 的 rocm-smi（Ubuntu 与 Arch 两种构建）' },
  describes: 'AMD `rocm-smi` `GPU[n] : Key: value` lines (product names or PCI ids), several runs per capture',
  claims: (text) => /ROCm System Management Interface/.test(text) && /^[ \t]*GPU\[\d+\][ \t]*:/m.test(text),
  parse(text: string, file: string): Parsed {
    const out = emptyParsed();
    const env = newEnvironment(file, ID);
    const facts = new Map<number, Map<string, string[]>>();
    for (const [i, raw] of splitLines(text).entries()) {
      const line = stripAnsi(raw);
      const m = LINE.exec(line);
      if (!m) {
        if (/^\s*GPU\[\d+\]/.test(line)) out.messages.push(messages.unreadLine(file, i + 1, 'GPU line', '"GPU[<n>] : <key>: <value>"'));
        continue;
      }
      const index = Number(m[1]);
      const key = (m[2] ?? '').toLowerCase();
      const byKey = facts.get(index) ?? new Map<string, string[]>();
      byKey.set(key, [...(byKey.get(key) ?? []), m[3] ?? '']);
      facts.set(index, byKey);
    }
    const named = (v: string) => v !== '' && !/^0x[0-9a-f]+$/i.test(v);
    for (const [index, byKey] of [...facts.entries()].sort((a, b) => a[0] - b[0])) {
      const series = (byKey.get('card series') ?? []).find(named);
      const sku = (byKey.get('card sku') ?? []).find(named);
      const gfx = (byKey.get('gfx version') ?? [])[0];
      const name = series ?? [sku, gfx ? `(${gfx})` : null].filter(Boolean).join(' ') ?? '';
      const gpu: GpuInfo = { index, name: name || 'AMD GPU', memoryTotalMiB: null, memoryUsedMiB: null, busId: null, migMode: null, uuid: (byKey.get('unique id') ?? [])[0] ?? null };
      env.gpus.push(gpu);
    }
    if (env.gpus.length > 0) {
      out.formats.push(ID);
      out.environments.push(env);
    }
    return out;
  },
});
