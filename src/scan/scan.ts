/**
 * Scan stage: the artifacts folder → experiment folders → files. An experiment is a folder directly
 * under the artifacts folder named `<name>_<YYYYMMDD>` or `YYYY-MM-DD`; its date comes from the
 * name. Files inside are found recursively, in a stable order. Symbolic links that leave the
 * artifacts folder are reported and not followed; anything else out of place is reported.
 */
import { lstatSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, sep } from 'node:path';
import { messages } from '../messages.js';
import type { Message } from '../model.js';

export interface ScannedFile {
  /** Absolute path on disk. */
  path: string;
  /** Path relative to the experiment folder, with `/` separators. */
  rel: string;
  size: number;
}

export interface ScannedExperiment {
  id: string;
  date: string;
  dir: string;
  files: ScannedFile[];
  /** experiment.yaml / notes.<locale>.md: read by the assemble stage, not parsed as artifacts (a README.md is skipped). */
  configFile: string | null;
  notes: Record<string, string>;
}

export interface ScanResult {
  root: string;
  experiments: ScannedExperiment[];
  messages: Message[];
}

/** The date an experiment folder's name carries, as YYYY-MM-DD, or null when it names none. */
export function experimentDate(name: string): { date: string; valid: boolean } | null {
  const m = /^(?:.+)_(\d{4})(\d{2})(\d{2})$/.exec(name) ?? /^(\d{4})-(\d{2})-(\d{2})$/.exec(name);
  if (!m) return null;
  const [, y, mo, d] = m;
  const date = `${y}-${mo}-${d}`;
  const t = new Date(`${date}T00:00:00Z`);
  const valid = !Number.isNaN(t.getTime()) && t.toISOString().slice(0, 10) === date;
  return { date, valid };
}

/**
 * Natural order, the same on every machine: runs of digits compare as numbers (c2 before c16),
 * everything else by code unit; ties broken by plain order.
 */
export function byName(a: string, b: string): number {
  const ca = a.match(/\d+|\D+/g) ?? [];
  const cb = b.match(/\d+|\D+/g) ?? [];
  for (let i = 0; i < Math.min(ca.length, cb.length); i++) {
    const x = ca[i] as string;
    const y = cb[i] as string;
    if (x === y) continue;
    const dx = /^\d/.test(x);
    const dy = /^\d/.test(y);
    if (dx && dy) {
      const nx = BigInt(x);
      const ny = BigInt(y);
      if (nx !== ny) return nx < ny ? -1 : 1;
    } else return x < y ? -1 : 1;
  }
  if (ca.length !== cb.length) return ca.length - cb.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

function inside(root: string, target: string): boolean {
  const r = relative(root, target);
  return r === '' || (!r.startsWith('..') && !r.startsWith(sep) && r !== '..');
}

/** Sync on purpose: thousands of small stats, where awaiting each would cost more than it does. */
function walk(root: string, dir: string, expDir: string, out: ScannedFile[], msgs: Message[], realRoot: string): void {
  const entries = readdirSync(dir).sort(byName);
  for (const name of entries) {
    if (name.startsWith('.')) continue;
    const path = join(dir, name);
    const rel = relative(expDir, path).split(sep).join('/');
    const lst = lstatSync(path);
    if (lst.isSymbolicLink()) {
      let target: string;
      try {
        target = realpathSync(path);
      } catch {
        msgs.push(messages.readFailed(relative(root, path).split(sep).join('/'), 'symbolic link points nowhere'));
        continue;
      }
      if (!inside(realRoot, target)) {
        msgs.push(messages.symlinkOutside(relative(root, path).split(sep).join('/'), relative(realRoot, target)));
        continue;
      }
      const st = statSync(target);
      if (st.isFile()) out.push({ path: target, rel, size: st.size });
      continue; // links to folders are not followed: no cycles
    }
    if (lst.isDirectory()) walk(root, path, expDir, out, msgs, realRoot);
    else if (lst.isFile()) out.push({ path, rel, size: lst.size });
  }
}

export async function scan(root: string): Promise<ScanResult> {
  const result: ScanResult = { root, experiments: [], messages: [] };
  const realRoot = realpathSync(root);
  const entries = readdirSync(root, { withFileTypes: true }).sort((a, b) => byName(a.name, b.name));
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const path = join(root, entry.name);
    if (!entry.isDirectory()) {
      if (entry.isSymbolicLink()) {
        let target: string | null = null;
        try {
          target = realpathSync(path);
        } catch {
          target = null;
        }
        if (target === null || !inside(realRoot, target)) {
          result.messages.push(messages.symlinkOutside(entry.name, target ?? '(nowhere)'));
          continue;
        }
      }
      result.messages.push(messages.strayFile(entry.name));
      continue;
    }
    const exp = experimentIn(root, realRoot, entry.name, result.messages);
    if (exp) result.experiments.push(exp);
  }
  return result;
}

/** The experiment folder `name` of `root`, or null (with a message) when its name is no experiment's. */
function experimentIn(root: string, realRoot: string, name: string, out: Message[]): ScannedExperiment | null {
  const path = join(root, name);
  const dated = experimentDate(name);
  if (!dated) {
    out.push(messages.notExperimentDir(name));
    return null;
  }
  if (!dated.valid) out.push(messages.badDate(name, dated.date));
  const all: ScannedFile[] = [];
  walk(root, path, path, all, out, realRoot);
  const exp: ScannedExperiment = { id: name, date: dated.date, dir: path, files: [], configFile: null, notes: {} };
  for (const f of all) {
    if (f.rel === 'experiment.yaml' || f.rel === 'experiment.yml') exp.configFile = f.path;
    else if (/^notes\.([a-z]{2}(?:-[A-Za-z]+)?)\.md$/.test(f.rel)) exp.notes[/^notes\.(.+)\.md$/.exec(f.rel)?.[1] ?? ''] = f.path;
    // The folder's own README (where the files came from, how they were made) is for people browsing the repository.
    else if (/^readme(\.[a-z]{2}(?:-[A-Za-z]+)?)?\.md$/i.test(f.rel)) continue;
    else exp.files.push(f);
  }
  return exp;
}

/** One experiment folder scanned on its own (`benchbook inspect artifacts/<experiment>`), as the artifacts folder holding it would be. */
export function scanExperiment(dir: string): ScanResult {
  const root = dirname(dir);
  const result: ScanResult = { root, experiments: [], messages: [] };
  const exp = experimentIn(root, realpathSync(root), basename(dir), result.messages);
  if (exp) result.experiments.push(exp);
  return result;
}

/** The messages about experiment folder `id` or files in it (they belong in its report). */
export function messagesAbout(id: string, all: Message[]): Message[] {
  return all.filter((m) => m.file === id || m.file.startsWith(`${id}/`));
}
