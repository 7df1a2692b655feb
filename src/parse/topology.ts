/**
 * Device link matrices: `nvidia-smi topo -m` (tab- or space-separated, GPU and NIC rows, `CPU
 * Affinity`/`NUMA Affinity`/`GPU NUMA ID` columns on GPU rows only, `Legend:` and `NIC Legend:`)
 * and MetaX `mx-smi topo` ("Device link type matrix", `Node Affinity` before `CPU Affinity`).
 */
import type { Environment, EnvironmentKind } from '../model.js';
import { messages } from '../messages.js';
import type { Message } from '../model.js';
import { newEnvironment } from './environment.js';
import { cleanLine, splitLines } from './text.js';
import { emptyParsed, type Parsed, type TextParser } from './types.js';

const DEVICE = /^(GPU|NIC|CPU|mlx|NVSwitch)\w*$/;

function parseMatrix(text: string, file: string, kind: EnvironmentKind, out: Message[]): Environment | null {
  const lines = splitLines(text).map((l) => cleanLine(l).text);
  const headerAt = lines.findIndex((l) => /^\s*GPU0(\s|$)/.test(l.trimStart()) && /Affinity/.test(l));
  if (headerAt < 0) return null;
  const header = (lines[headerAt] ?? '').trim().split(/\t+|\s{2,}/).map((h) => h.trim()).filter(Boolean);
  const devices = header.filter((h) => DEVICE.test(h));
  const extra = header.slice(devices.length);
  const env = newEnvironment(file, kind);
  for (let i = headerAt + 1; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (line.trim() === '') continue;
    if (/^\s*Legend:/.test(line)) break;
    const tokens = line.trim().split(/\s+/);
    const from = tokens[0] ?? '';
    if (!DEVICE.test(from)) break;
    if (tokens.length < devices.length + 1) {
      out.push(messages.unreadLine(file, i + 1, `matrix row of ${from}`, `a link type for each of the ${devices.length} devices of the header`));
      continue;
    }
    devices.forEach((to, c) => {
      const type = tokens[c + 1];
      if (type && type !== 'X' && to !== from) env.links.push({ from, to, type });
    });
    const rest = tokens.slice(devices.length + 1);
    extra.forEach((name, c) => {
      const v = rest[c];
      if (v === undefined || v === 'N/A') return;
      if (/^CPU Affinity$/i.test(name)) env.cpuAffinity[from] = v;
      else if (/^(NUMA|Node) Affinity$/i.test(name)) env.numaAffinity[from] = v;
    });
  }
  return env;
}

export const nvidiaSmiTopo: TextParser = {
  claims: (text) => /^[ \t]*GPU0[ \t].*CPU Affinity/m.test(text) && !/Device link type matrix/.test(text),
  parse(text: string, file: string): Parsed {
    const out = emptyParsed();
    const env = parseMatrix(text, file, 'nvidia-smi-topo', out.messages);
    if (env) {
      out.environments.push(env);
      out.formats.push('nvidia-smi-topo');
    }
    return out;
  },
};

export const mxSmiTopo: TextParser = {
  claims: (text) => /Device link type matrix/.test(text),
  parse(text: string, file: string): Parsed {
    const out = emptyParsed();
    const env = parseMatrix(text, file, 'mx-smi-topo', out.messages);
    if (env) {
      out.environments.push(env);
      out.formats.push('mx-smi-topo');
    }
    return out;
  },
};
