/**
 * Write stage: only what changed, atomically (temporary file in the same folder, then rename), and
 * never outside the output paths it is given. Stale files benchbook wrote before in the folders it
 * owns are removed.
 */
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';

export interface WriteResult {
  written: string[];
  unchanged: string[];
  removed: string[];
}

export interface Owned {
  /** Folder relative to the root, e.g. "reports". */
  dir: string;
  /** Which files in it benchbook owns. */
  pattern: RegExp;
}

function safeJoin(root: string, rel: string): string {
  const path = resolve(root, rel);
  const r = relative(resolve(root), path);
  if (r === '' || r.startsWith('..') || r.split(sep).includes('..')) throw new Error(`refusing to write outside ${root}: ${rel}`);
  return path;
}

async function same(path: string, content: Buffer): Promise<boolean> {
  try {
    return (await readFile(path)).equals(content);
  } catch {
    return false;
  }
}

export async function writeAtomic(path: string, content: Buffer): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = join(dirname(path), `.${process.pid}.${Math.random().toString(36).slice(2)}.benchbook-tmp`);
  try {
    await writeFile(tmp, content);
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

/**
 * Where a build puts its files. `put` writes a file unless it already holds exactly that content;
 * `keep` declares a file the build did not render again this time (the cache vouched for it).
 * `finish` removes the files benchbook owns that this build did not produce.
 */
export interface Sink {
  /** `current`: the bytes the file holds now, when the caller has just read them (spares reading them again). */
  put(rel: string, content: Uint8Array | string, current?: Buffer): Promise<void>;
  keep(rel: string): void;
  has(rel: string): boolean;
}

/** Content as a Buffer, without copying bytes that are already in one (a worker's arrive as Uint8Array). */
function toBuffer(content: Uint8Array | string): Buffer {
  if (typeof content === 'string') return Buffer.from(content);
  return Buffer.isBuffer(content) ? content : Buffer.from(content.buffer, content.byteOffset, content.byteLength);
}

export class MemorySink implements Sink {
  readonly files = new Map<string, Buffer>();
  async put(rel: string, content: Uint8Array | string): Promise<void> {
    this.files.set(rel, toBuffer(content));
  }
  keep(rel: string): void {
    throw new Error(`a memory build cannot keep ${rel}`);
  }
  has(rel: string): boolean {
    return this.files.has(rel);
  }
}

export interface Recorder {
  output(rel: string): { hash: string } | undefined;
  intact(paths: Iterable<string>): boolean;
  recordOutput(rel: string, hash: string): void;
  forgetOutput(rel: string): void;
}

export class DiskSink implements Sink {
  readonly result: WriteResult = { written: [], unchanged: [], removed: [] };
  readonly expected = new Set<string>();

  constructor(
    private readonly root: string,
    private readonly hash: (content: Buffer) => string,
    private readonly recorder: Recorder | null,
  ) {}

  async put(rel: string, content: Uint8Array | string, current?: Buffer): Promise<void> {
    const buf = toBuffer(content);
    const path = safeJoin(this.root, rel);
    this.expected.add(rel);
    const hash = this.hash(buf);
    const rec = this.recorder?.output(rel);
    if ((rec?.hash === hash && this.recorder?.intact([rel])) || (current ? current.equals(buf) : await same(path, buf))) this.result.unchanged.push(rel);
    else {
      await writeAtomic(path, buf);
      this.result.written.push(rel);
    }
    this.recorder?.recordOutput(rel, hash);
  }

  keep(rel: string): void {
    if (this.expected.has(rel)) return;
    this.expected.add(rel);
    this.result.unchanged.push(rel);
  }

  has(rel: string): boolean {
    return this.expected.has(rel);
  }

  /** Removes owned files this build did not produce, and temporary files a killed build left. */
  async finish(owned: readonly Owned[]): Promise<void> {
    for (const o of owned) {
      const dir = safeJoin(this.root, o.dir);
      let names: string[] = [];
      try {
        names = await readdir(dir);
      } catch {
        continue;
      }
      for (const name of names.sort()) {
        const rel = `${o.dir}/${name}`;
        if (name.endsWith('.benchbook-tmp') || (o.pattern.test(name) && !this.expected.has(rel))) {
          await rm(join(dir, name), { force: true });
          if (!name.endsWith('.benchbook-tmp')) {
            this.result.removed.push(rel);
            this.recorder?.forgetOutput(rel);
          }
        }
      }
    }
  }
}
