/** `nvidia-smi -q` text: banner, padded `Key : Value` lines, indented sections (possibly cut by `head`). */
import { messages } from '../../messages.js';
import { newEnvironment } from '../environment.js';
import { cleanLine, splitLines } from '../text.js';
import { emptyParsed, type Parsed } from '../types.js';
import { defineFormat } from '../format.js';

declare module '../../model.js' {
  interface EnvironmentKinds {
    'nvidia-smi-query': true;
  }
}

export default defineFormat({
  id: 'nvidia-smi-query',
  name: 'nvidia-smi -q',
  input: 'text',
  yields: 'environment',
  order: 80,
  checkedOn: { en: 'driver 580 (`-q`, `-q -d`)', zh: '驱动 580（`-q`、`-q -d`）' },
  describes: '`nvidia-smi -q` / `-q -d …` / `-a` text (banner, padded `Key : Value` lines, indented sections)',
  claims: (text) => /=+NVSMI LOG=+/.test(text),
  parse(text: string, file: string): Parsed {
    const out = emptyParsed();
    const env = newEnvironment(file, 'nvidia-smi-query');
    let inLog = false;
    let gpuIndex = -1;
    let section = '';
    for (const [i, raw] of splitLines(text).entries()) {
      const line = cleanLine(raw).text;
      if (/=+NVSMI LOG=+/.test(line)) {
        inLog = true;
        continue;
      }
      if (!inLog) continue;
      if (/^```/.test(line)) break;
      const gpu = /^GPU ([0-9A-Fa-f]{4,8}:[0-9A-Fa-f]{2}:[0-9A-Fa-f]{2}\.\d)\s*$/.exec(line);
      if (gpu) {
        gpuIndex++;
        env.gpus.push({ index: gpuIndex, name: '', memoryTotalMiB: null, memoryUsedMiB: null, busId: gpu[1] ?? null, migMode: null, uuid: null });
        continue;
      }
      if (/^GPU \S+\s*$/.test(line)) {
        out.messages.push(messages.unreadLine(file, i + 1, 'GPU section header', '"GPU <bus id>" such as "GPU 00000000:18:00.0"'));
        continue;
      }
      const kv = /^(\s*)(\S[^:]*?)\s*:\s*(.*?)\s*$/.exec(line);
      if (!kv) {
        const sec = /^(\s+)(\S.*?)\s*$/.exec(line);
        if (sec?.[1] !== undefined && sec[1].length === 4) section = sec[2] ?? '';
        continue;
      }
      const [, indent = '', key = '', value = ''] = kv;
      const g = env.gpus[gpuIndex];
      if (indent.length === 0) {
        if (key === 'Driver Version') env.driverVersion = value;
        if (key === 'CUDA Version') env.cudaVersion = value;
        continue;
      }
      if (!g) continue;
      if (indent.length === 4) {
        section = '';
        if (key === 'Product Name') g.name = value;
        if (key === 'GPU UUID') g.uuid = value;
        if (key === 'MIG Mode') section = 'MIG Mode';
      }
      if (indent.length === 8 && section === 'FB Memory Usage' && (key === 'Total' || key === 'Used')) {
        const mib = /^(\d+) MiB$/.exec(value);
        if (!mib) out.messages.push(messages.unreadLine(file, i + 1, `FB memory "${key}" value "${value}"`, 'a figure such as "81559 MiB"'));
        else if (key === 'Total') g.memoryTotalMiB = Number(mib[1]);
        else g.memoryUsedMiB = Number(mib[1]);
      }
      if (indent.length === 8 && section === 'MIG Mode' && key === 'Current') g.migMode = value;
    }
    if (inLog) {
      out.environments.push(env);
      out.formats.push('nvidia-smi-query');
    }
    return out;
  },
});
