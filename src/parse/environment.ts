/** Building and merging Environment records: one per file, whatever captures it pastes together. */
import type { Environment, EnvironmentKind } from '../model.js';

export function newEnvironment(file: string, kind: EnvironmentKind): Environment {
  return {
    file,
    kind,
    sections: [kind],
    driverVersion: null,
    cudaVersion: null,
    gpus: [],
    migDevices: [],
    links: [],
    cpuAffinity: {},
    numaAffinity: {},
    numaNodes: [],
  };
}

/** Merges captures of one file: the first section names the kind; GPU details fill each other in. */
export function mergeEnvironments(envs: Environment[]): Environment | null {
  const [first, ...rest] = envs;
  if (!first) return null;
  // Every GPU once, also one a capture lists twice (`nvidia-smi -L` and `nvidia-smi nvlink --status`
  // both print "GPU 0: … (UUID: …)"): the same index is the same GPU unless both UUIDs say otherwise.
  const merged: Environment = { ...first, sections: [...first.sections], gpus: [], migDevices: [], links: [], numaNodes: [] };
  for (const e of [first, ...rest]) {
    for (const s of e.sections) if (!merged.sections.includes(s)) merged.sections.push(s);
    merged.driverVersion ??= e.driverVersion;
    merged.cudaVersion ??= e.cudaVersion;
    for (const g of e.gpus) {
      const same = merged.gpus.find((m) => m.index === g.index && (m.uuid === null || g.uuid === null || m.uuid === g.uuid));
      if (!same) merged.gpus.push({ ...g });
      else {
        same.uuid ??= g.uuid;
        same.memoryTotalMiB ??= g.memoryTotalMiB;
        same.memoryUsedMiB ??= g.memoryUsedMiB;
        same.busId ??= g.busId;
        same.migMode ??= g.migMode;
        if (same.name.endsWith('...') && !g.name.endsWith('...')) same.name = g.name;
      }
    }
    for (const d of e.migDevices) {
      const same = merged.migDevices.find((m) => m.gpu === d.gpu && m.index === d.index);
      if (!same) merged.migDevices.push({ ...d });
      else {
        same.profile ??= d.profile;
        same.gi ??= d.gi;
        same.ci ??= d.ci;
        same.memoryTotalMiB ??= d.memoryTotalMiB;
      }
    }
    merged.links.push(...e.links);
    merged.cpuAffinity = { ...e.cpuAffinity, ...merged.cpuAffinity };
    merged.numaAffinity = { ...e.numaAffinity, ...merged.numaAffinity };
    merged.numaNodes.push(...e.numaNodes);
  }
  merged.gpus.sort((a, b) => a.index - b.index);
  return merged;
}
