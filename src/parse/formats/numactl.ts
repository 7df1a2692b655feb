/** `numactl --hardware`: nodes with their CPUs, size and free memory. */
import { messages } from '../../messages.js';
import { newEnvironment } from '../environment.js';
import { cleanLine, splitLines } from '../text.js';
import { emptyParsed, type Parsed } from '../types.js';
import { defineFormat } from '../format.js';

declare module '../../model.js' {
  interface EnvironmentKinds {
    'numactl': true;
  }
}

/** "0 1 2 3 8" → "0-3,8" */
export function compressCpus(list: string): string {
  const ids = list.split(/\s+/).filter(Boolean).map(Number).filter(Number.isInteger);
  const parts: string[] = [];
  for (let i = 0; i < ids.length; ) {
    let j = i;
    while (j + 1 < ids.length && ids[j + 1] === (ids[j] ?? 0) + 1) j++;
    parts.push(i === j ? String(ids[i]) : `${ids[i]}-${ids[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}

export default defineFormat({
  id: 'numactl',
  name: 'numactl --hardware',
  input: 'text',
  yields: 'environment',
  order: 120,
  checkedOn: 'numactl 2.0',
  describes: '`numactl --hardware` (NUMA nodes, CPUs, memory)',
  claims: (text) => /^available: \d+ nodes/m.test(text) && /^node \d+ cpus:/m.test(text),
  parse(text: string, file: string): Parsed {
    const out = emptyParsed();
    const env = newEnvironment(file, 'numactl');
    for (const [i, raw] of splitLines(text).entries()) {
      const line = cleanLine(raw).text.trim();
      const m = /^node (\d+) (cpus|size|free):\s*(.*)$/.exec(line);
      if (!m) {
        if (/^node \d+ (?!distances)/.test(line)) out.messages.push(messages.unreadLine(file, i + 1, 'node line', '"node <n> cpus:", "node <n> size:" or "node <n> free:"'));
        continue;
      }
      const node = Number(m[1]);
      let n = env.numaNodes.find((x) => x.node === node);
      if (!n) {
        n = { node, cpus: '', sizeMB: null, freeMB: null };
        env.numaNodes.push(n);
      }
      const v = m[3] ?? '';
      if (m[2] === 'cpus') n.cpus = compressCpus(v);
      else {
        const mb = /^(\d+) MB$/.exec(v);
        if (!mb) out.messages.push(messages.unreadLine(file, i + 1, `node ${node} ${m[2]} "${v}"`, 'a figure such as "64352 MB"'));
        if (m[2] === 'size') n.sizeMB = mb ? Number(mb[1]) : null;
        else n.freeMB = mb ? Number(mb[1]) : null;
      }
    }
    out.environments.push(env);
    out.formats.push('numactl');
    return out;
  },
});
