/**
 * 1. Scan: artifacts/ → the experiments of this build, each with its slug and, with a cache, the key
 * of everything it is made from (its files' content, its name and slug, and the build's stamp).
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { sha256 } from '../../hash.js';
import { messagesAbout, scan } from '../../scan/scan.js';
import { slugOf } from '../context.js';
import type { BuildState, Planned } from '../state.js';

export async function scanStage(state: BuildState): Promise<void> {
  const { ctx, cache } = state;
  const artifacts = join(ctx.root, 'artifacts');
  if (!existsSync(artifacts) || !statSync(artifacts).isDirectory()) {
    throw new Error(`no artifacts folder at ${artifacts}: expected ${join(ctx.root, 'artifacts', '<experiment>_<YYYYMMDD>')}/ folders with the results`);
  }
  const scanned = await scan(artifacts);
  const taken = new Set<string>();
  state.scanMessages = scanned.messages;
  state.plan = scanned.experiments.map((exp): Planned => ({ scanned: exp, slug: slugOf(exp.id, taken), key: '', scanMessages: messagesAbout(exp.id, scanned.messages) }));
  if (cache) {
    for (const p of state.plan) {
      const exp = p.scanned;
      const files: string[] = [];
      for (const f of exp.files) files.push(`${f.rel}\u0000${await cache.inputHash(f.path)}`);
      if (exp.configFile) files.push(`experiment.yaml\u0000${await cache.inputHash(exp.configFile)}`);
      for (const [l, path] of Object.entries(exp.notes).sort()) files.push(`notes.${l}\u0000${await cache.inputHash(path)}`);
      p.key = sha256(ctx.stamp, exp.id, exp.date, p.slug, JSON.stringify(p.scanMessages), ...files);
    }
  }
  state.stats.experiments = state.plan.length;
  // The README pair also links the documentation files present.
  state.globalKey = sha256(ctx.stamp, ctx.docs.join('\n'), String(state.withPdf), JSON.stringify(scanned.messages), ...state.plan.map((p) => p.key));
}
