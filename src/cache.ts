/**
 * The build cache (`.benchbook-cache/` at the root; deleting it only costs time).
 *
 * Inputs are known by content: a file's SHA-256 is kept with its size, mtime, ctime and inode, and
 * read again only when one of those changed (so a touched but identical file is still a hit).
 * Outputs are recorded with their hash and stamp after each write; a recorded output that is no
 * longer as recorded (edited, deleted, half-written by a killed build) makes whatever produced it
 * render again. One whose stamp alone changed (a fresh checkout, a restored CI cache) is read and
 * hashed to tell. The index is written atomically at the end of a build: a build killed before that leaves
 * the previous index, whose output stamps then disagree with the disk, so nothing stale is trusted.
 */
import { createHash } from 'node:crypto';
import { createReadStream, readFileSync, statSync, type Stats } from 'node:fs';
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { isAbsolute, join, relative, sep } from 'node:path';
import { sha256 } from './hash.js';
import type { ExperimentEntry, ExperimentPages } from './products.js';
import { writeAtomic } from './write/write.js';

export const CACHE_DIR = '.benchbook-cache';

/** The chart font subset the last build ended with, in CACHE_DIR. */
const CHART_FONT = 'chart-font.json';
/** Bump when what the cache holds changes shape or meaning. */
const FORMAT = 1;

export interface Stamp {
  size: number;
  mtimeMs: number;
  ctimeMs: number;
  ino: number;
}

export interface Recorded extends Stamp {
  hash: string;
}

interface Index {
  format: number;
  /** benchbook's version: another version starts from an empty cache. */
  tool: string;
  inputs: Record<string, Recorded>;
  outputs: Record<string, Recorded>;
  experiments: Record<string, { key: string; entry: ExperimentEntry }>;
  /** Output path → the key of what it was made from (site pages, PDFs, the font). */
  keys: Record<string, string>;
  /** The key of the whole build when it last finished. */
  global: string | null;
}


/** The SHA-256 of `bytes`, in hex. */
function digest(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export function stampOf(st: Stats): Stamp {
  return { size: st.size, mtimeMs: st.mtimeMs, ctimeMs: st.ctimeMs, ino: st.ino };
}

function sameStamp(a: Stamp, b: Stamp): boolean {
  return a.size === b.size && a.mtimeMs === b.mtimeMs && a.ctimeMs === b.ctimeMs && a.ino === b.ino;
}

function statOrNull(path: string): Stats | null {
  try {
    return statSync(path);
  } catch {
    return null;
  }
}

async function hashFile(path: string, size: number): Promise<string> {
  // Small files in one read (no stream overhead); large ones in 1 MiB chunks, memory stays flat.
  if (size < 64 << 20) return createHash('sha256').update(readFileSync(path)).digest('hex');
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) h.update(chunk as Buffer);
  return h.digest('hex');
}

function empty(tool: string): Index {
  return { format: FORMAT, tool, inputs: {}, outputs: {}, experiments: {}, keys: {}, global: null };
}

export class BuildCache {
  private readonly dir: string;
  private readonly used = new Set<string>();
  /** Whether anything differs from the index on disk (else `save` has nothing to write). */
  private dirty = false;

  private constructor(
    private readonly root: string,
    private index: Index,
  ) {
    this.dir = join(root, CACHE_DIR);
  }

  static async load(root: string, tool: string): Promise<BuildCache> {
    let index = empty(tool);
    try {
      const raw = JSON.parse(await readFile(join(root, CACHE_DIR, 'index.json'), 'utf8')) as Partial<Index>;
      if (raw.format === FORMAT && raw.tool === tool && raw.inputs && raw.outputs && raw.experiments && raw.keys) index = { ...index, ...raw } as Index;
    } catch {
      // no cache, or an unreadable one: start empty
    }
    return new BuildCache(root, index);
  }

  /** An input file's content hash, read again only when its stamp changed. */
  async inputHash(path: string): Promise<string> {
    // Known by its path from the root, so that a checkout elsewhere (another runner, a copy) finds it.
    const at = relative(this.root, path);
    const rel = at.startsWith('..') || isAbsolute(at) ? path : at.split(sep).join('/');
    this.used.add(rel);
    const st = statOrNull(path);
    if (st === null) return 'missing';
    const rec = this.index.inputs[rel];
    if (rec && sameStamp(rec, stampOf(st))) return rec.hash;
    const hash = await hashFile(path, st.size);
    this.index.inputs[rel] = { ...stampOf(st), hash };
    this.dirty = true;
    return hash;
  }

  /**
   * Whether every given output is on disk exactly as this cache recorded it: with the stamp it was
   * recorded with, or else with the same bytes. A fresh checkout, a cache and `site/` restored by CI,
   * or a copied repository give every file a new inode and times: such a file is read and hashed
   * once, and its new stamp recorded.
   */
  intact(paths: Iterable<string>): boolean {
    for (const rel of paths) {
      const rec = this.index.outputs[rel];
      if (!rec) return false;
      const st = statOrNull(join(this.root, rel));
      if (st === null || st.size !== rec.size) return false;
      if (sameStamp(rec, stampOf(st))) continue;
      let bytes: Buffer;
      try {
        bytes = readFileSync(join(this.root, rel));
      } catch {
        return false;
      }
      if (sha256(bytes) !== rec.hash) return false;
      this.index.outputs[rel] = { ...stampOf(st), hash: rec.hash };
      this.dirty = true;
    }
    return true;
  }

  /** Whether output `rel` was made from `key` and is on disk as then. */
  fresh(rel: string, key: string): boolean {
    return this.index.keys[rel] === key && this.intact([rel]);
  }

  output(rel: string): Recorded | undefined {
    return this.index.outputs[rel];
  }

  /** Output `rel` as just written, `hash` being `sha256(content)` (hash.ts). */
  recordOutput(rel: string, hash: string): void {
    this.dirty = true;
    const st = statOrNull(join(this.root, rel));
    if (st === null) delete this.index.outputs[rel];
    else this.index.outputs[rel] = { ...stampOf(st), hash };
  }

  forgetOutput(rel: string): void {
    this.dirty = true;
    delete this.index.outputs[rel];
    delete this.index.keys[rel];
  }

  /** Every output the last finished build recorded. */
  outputs(): string[] {
    return Object.keys(this.index.outputs);
  }

  get global(): string | null {
    return this.index.global;
  }

  set global(key: string | null) {
    if (key !== this.index.global) this.dirty = true;
    this.index.global = key;
  }

  keyOf(rel: string): string | undefined {
    return this.index.keys[rel];
  }

  setKey(rel: string, key: string): void {
    this.dirty = true;
    this.index.keys[rel] = key;
  }

  /** The cached entry of an experiment when it was made from `key`. */
  experiment(id: string, key: string): ExperimentEntry | null {
    const e = this.index.experiments[id];
    return e && e.key === key ? e.entry : null;
  }

  allExperiments(): Record<string, { key: string; entry: ExperimentEntry }> {
    return this.index.experiments;
  }

  setExperiment(id: string, key: string, entry: ExperimentEntry): void {
    this.dirty = true;
    this.index.experiments[id] = { key, entry };
  }

  private pagesFile(key: string): string {
    return join(this.dir, 'pages', `${key}.json`);
  }

  async savePages(key: string, pages: ExperimentPages): Promise<void> {
    await this.saveProduct(key, pages);
  }

  async loadPages(key: string): Promise<ExperimentPages | null> {
    return this.loadProduct<ExperimentPages>(key);
  }

  /** A stage's product kept beside the pages under its own key (the overview's); gone with its key. */
  async saveProduct(key: string, product: unknown): Promise<void> {
    await writeAtomic(this.pagesFile(key), Buffer.from(JSON.stringify(product)));
  }

  async loadProduct<T>(key: string): Promise<T | null> {
    try {
      return JSON.parse(await readFile(this.pagesFile(key), 'utf8')) as T;
    } catch {
      return null;
    }
  }

  /**
   * The chart font subset a build ended with (pipeline/fonts.ts), kept so that the next build draws
   * with it and need not load the subsetter at all while its charts show no new character. Under
   * `key` (what the subset is cut from); null when there is none, under another key, or unreadable.
   */
  async loadChartFont(key: string): Promise<{ chars: string; bytes: Buffer } | null> {
    try {
      const raw = JSON.parse(await readFile(join(this.dir, CHART_FONT), 'utf8')) as Partial<{ key: string; chars: string; ttf: string; sha256: string }>;
      if (raw.key !== key || typeof raw.chars !== 'string' || typeof raw.ttf !== 'string') return null;
      const bytes = Buffer.from(raw.ttf, 'base64');
      // A font that is not as it was written would draw wrong or no glyphs: the subsetter instead.
      return digest(bytes) === raw.sha256 ? { chars: raw.chars, bytes } : null;
    } catch {
      return null;
    }
  }

  async saveChartFont(key: string, chars: string, bytes: Uint8Array): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const ttf = Buffer.from(bytes);
    await writeAtomic(join(this.dir, CHART_FONT), Buffer.from(JSON.stringify({ key, chars, ttf: ttf.toString('base64'), sha256: digest(ttf) })));
  }

  /**
   * Writes the index (atomically) keeping only the experiments in `ids`, the inputs read by this
   * build and the outputs in `outputs`; removes pages of experiments no longer there.
   */
  async save(ids: Set<string>, keys: Set<string>, outputs: Set<string>): Promise<void> {
    const ix = this.index;
    const unused = (record: Record<string, unknown>, keep: (k: string) => boolean) => Object.keys(record).some((k) => !keep(k));
    if (
      !this.dirty &&
      !unused(ix.experiments, (id) => ids.has(id)) &&
      !unused(ix.inputs, (p) => this.used.has(p)) &&
      !unused(ix.outputs, (p) => outputs.has(p))
    ) {
      return;
    }
    ix.experiments = Object.fromEntries(Object.entries(ix.experiments).filter(([id, e]) => ids.has(id) && keys.has(e.key)));
    ix.inputs = Object.fromEntries(Object.entries(ix.inputs).filter(([p]) => this.used.has(p)));
    ix.outputs = Object.fromEntries(Object.entries(ix.outputs).filter(([p]) => outputs.has(p)));
    ix.keys = Object.fromEntries(Object.entries(ix.keys).filter(([p]) => outputs.has(p)));
    await mkdir(this.dir, { recursive: true });
    await writeAtomic(join(this.dir, 'index.json'), Buffer.from(JSON.stringify(ix)));
    let names: string[] = [];
    try {
      names = await readdir(join(this.dir, 'pages'));
    } catch {
      return;
    }
    for (const name of names) {
      const key = name.replace(/\.json$/, '');
      if (!keys.has(key) || name.endsWith('.benchbook-tmp')) await rm(join(this.dir, 'pages', name), { force: true });
    }
  }
}
