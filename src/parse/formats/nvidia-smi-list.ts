/** `nvidia-smi -L`: one line a GPU with its UUID, indented MIG lines with their profile names. */
import { messages } from '../../messages.js';
import { newEnvironment } from '../environment.js';
import { cleanLine, splitLines } from '../text.js';
import { emptyParsed, type Parsed } from '../types.js';
import { defineFormat } from '../format.js';

declare module '../../model.js' {
  interface EnvironmentKinds {
    'nvidia-smi-list': true;
  }
}

const GPU = /^GPU (\d+): (.+?) \(UUID: (GPU-[0-9a-fA-F-]+)\)\s*$/;
const MIG = /^\s+MIG (\S+)\s+Device\s+(\d+): \(UUID: (MIG-[0-9a-fA-F-]+)\)/;

export default defineFormat({
  id: 'nvidia-smi-list',
  name: 'nvidia-smi -L',
  input: 'text',
  yields: 'environment',
  order: 70,
  checkedOn: { en: 'drivers 440–580', zh: '驱动 440–580' },
  describes: '`nvidia-smi -L` list (GPU names, UUIDs, MIG devices)',
  claims: (text) => /^GPU \d+: .+ \(UUID: GPU-/m.test(text),
  parse(text: string, file: string): Parsed {
    const out = emptyParsed();
    const env = newEnvironment(file, 'nvidia-smi-list');
    let gpu = -1;
    splitLines(text).forEach((raw, i) => {
      const line = cleanLine(raw).text;
      const g = GPU.exec(line);
      if (g) {
        gpu = Number(g[1]);
        env.gpus.push({ index: gpu, name: g[2] ?? '', memoryTotalMiB: null, memoryUsedMiB: null, busId: null, migMode: null, uuid: g[3] ?? null });
        return;
      }
      if (/^GPU \d+:/.test(line)) {
        out.messages.push(messages.unreadLine(file, i + 1, 'GPU line', '"GPU <n>: <name> (UUID: GPU-…)"'));
        return;
      }
      const m = MIG.exec(line);
      if (m && gpu >= 0) env.migDevices.push({ gpu, gi: null, ci: null, index: Number(m[2]), memoryTotalMiB: null, profile: m[1] ?? null });
      else if (/^\s+MIG\b/.test(line)) out.messages.push(messages.unreadLine(file, i + 1, 'MIG device line', '"MIG <profile> Device <n>: (UUID: MIG-…)" under a GPU line'));
    });
    if (env.gpus.length > 0) {
      out.environments.push(env);
      out.formats.push('nvidia-smi-list');
    }
    return out;
  },
});
