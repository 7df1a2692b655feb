/**
 * `nvidia-smi --query-gpu=<fields> --format=csv[,nounits]`: a header naming the queried fields
 * (`index, name, memory.total [MiB], driver_version, …`; units in brackets unless `nounits`) and a
 * row per GPU (`0, NVIDIA H200, 143771 MiB, 570.211.01, …`). Read by the header, in any field order;
 * `noheader` output says nothing of its columns and is not read.
 */
import { messages } from '../../messages.js';
import type { GpuInfo } from '../../model.js';
import { newEnvironment } from '../environment.js';
import { defineFormat } from '../format.js';
import { cleanLine, parseNumber, splitLines } from '../text.js';
import { emptyParsed, type Parsed } from '../types.js';

declare module '../../model.js' {
  interface EnvironmentKinds {
    'nvidia-smi-csv': true;
  }
}

const ID = 'nvidia-smi-csv';
/** The queried fields benchbook reads (nvidia-smi --help-query-gpu), by their header name. */
const READ = new Set(['index', 'name', 'memory.total', 'memory.used', 'driver_version', 'pci.bus_id', 'uuid', 'mig.mode.current', 'gpu_name', 'gpu_bus_id', 'gpu_uuid']);
const FIELD = /^[a-z_][a-z0-9_.]*$/;
/** Query fields nvidia-smi has (--help-query-gpu) that say nothing benchbook keeps: read around, not named. */
const OTHER = /^(timestamp|count|serial|vbios_version|pstate|persistence_mode|compute_mode|display_\w+|accounting\.\w+|driver_model\.\w+|inforom\.\w+|gom\.\w+|pci\.\w+|pcie\.\w+|fan\.\w+|power\.\w+|enforced\.\w+|clocks\w*\.\w+|clocks_event_reasons\.\w+|clocks_throttle_reasons\.\w+|temperature\.\w+|utilization\.\w+|memory\.(free|reserved)|ecc\.\w+|retired_pages\.\w+|remapped_rows\.\w+|encoder\.\w+|mig\.mode\.pending|protected_memory\.\w+|fabric\.\w+|platform\.\w+|addressing_mode|module_id|c2c\.\w+|gpu_operation_mode\.\w+|reset_status\.\w+|name|index)$/;

/** The header's fields without their units: `memory.total [MiB]` → `memory.total`. */
function headerOf(line: string): string[] | null {
  const cells = line.split(',').map((c) => c.trim().replace(/\s*\[[^\]]*\]$/, ''));
  return cells.length >= 2 && cells.every((c) => FIELD.test(c)) && cells.some((c) => c === 'index' || c === 'name' || c === 'gpu_name') && cells.some((c) => READ.has(c) && c !== 'index') ? cells : null;
}

function mib(raw: string | undefined): number | null {
  if (raw === undefined) return null;
  const m = /^([\d.]+)\s*(MiB|GiB)?$/.exec(raw.trim());
  if (!m) return null;
  const v = Number(m[1]);
  return m[2] === 'GiB' ? v * 1024 : v;
}

function parse(text: string, file: string): Parsed {
  const out = emptyParsed();
  const env = newEnvironment(file, ID);
  let header: string[] | null = null;
  splitLines(text).forEach((raw, i) => {
    const line = cleanLine(raw).text.trim();
    const h = headerOf(line);
    if (h) {
      header = h;
      const odd = h.filter((f) => !READ.has(f) && !OTHER.test(f));
      if (odd.length > 0) out.messages.push(messages.unknownFields(file, { line: i + 1 }, odd));
      return;
    }
    if (!header) return;
    const cells = line.split(',').map((c) => c.trim());
    if (line === '' || cells.length !== header.length) {
      header = null;
      return;
    }
    const get = (...names: string[]): string | undefined => {
      for (const n of names) {
        const at = header?.indexOf(n) ?? -1;
        if (at >= 0) return cells[at];
      }
      return undefined;
    };
    const index = parseNumber(get('index') ?? String(env.gpus.length));
    if (index === null) {
      out.messages.push(messages.unreadLine(file, i + 1, 'GPU row', 'a GPU index in the "index" column'));
      return;
    }
    const na = (v: string | undefined): string | null => (v === undefined || /^\[?N\/A\]?$/i.test(v) || v === '' ? null : v);
    const gpu: GpuInfo = {
      index,
      name: na(get('name', 'gpu_name')) ?? '',
      memoryTotalMiB: mib(get('memory.total')),
      memoryUsedMiB: mib(get('memory.used')),
      busId: na(get('pci.bus_id', 'gpu_bus_id')),
      migMode: na(get('mig.mode.current')),
      uuid: na(get('uuid', 'gpu_uuid')),
    };
    env.gpus.push(gpu);
    env.driverVersion ??= na(get('driver_version'));
  });
  if (env.gpus.length > 0) {
    out.environments.push(env);
    out.formats.push(ID);
  }
  return out;
}

export default defineFormat({
  id: ID,
  name: { en: 'nvidia-smi --query-gpu (CSV)', zh: 'nvidia-smi --query-gpu 的 CSV 输出' },
  input: 'text',
  yields: 'environment',
  order: 75,
  checkedOn: { en: 'driver 570 (`--format=csv`, units in the header and the values)', zh: '驱动 570（`--format=csv`，表头与数值均带单位）' },
  describes: '`nvidia-smi --query-gpu=<fields> --format=csv[,nounits]` output: GPUs by their queried fields, in any order',
  // A header has two fields at least: lines without a comma (most of a log's rest) are not looked at.
  claims: (text) => text.split('\n').some((l) => l.includes(',') && headerOf(cleanLine(l).text.trim()) !== null),
  parse,
});
