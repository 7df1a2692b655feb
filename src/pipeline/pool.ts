/**
 * The build's render pool: experiments and site pages rendered on every core, by this thread and
 * `size - 1` worker threads (each a full renderer with its own heap, so one per core and no more).
 * With a size below two (BENCHBOOK_WORKERS=0 or 1, one core, or no compiled worker beside this
 * module, as under the test runner) everything runs in this thread; the outputs are the same.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { Worker } from 'node:worker_threads';
import { reasonOf } from '../messages.js';
import type { FontAnswer, FontAsk, Task } from './worker.js';

/** A task waiting for a renderer; `anywhere` false keeps it off this thread while a worker lives. */
interface Queued {
  id: number;
  task: Task;
  anywhere: boolean;
}

interface Pending {
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
}

/**
 * How many renderers for `work` experiments' worth of rendering (a site page counts about an
 * eighth): BENCHBOOK_WORKERS when set, else one per core, but none beside this thread for less
 * than WORTH_A_WORKER, since a worker takes about as long to start as an experiment to render.
 */
export function workerCount(work: number): number {
  const asked = process.env['BENCHBOOK_WORKERS'];
  if (asked === undefined || asked === '') return work < WORTH_A_WORKER ? 1 : Math.min(availableParallelism(), Math.ceil(work));
  const n = Number(asked);
  return Number.isFinite(n) ? Math.max(0, Math.min(Math.floor(n), Math.ceil(work))) : 1;
}

const WORTH_A_WORKER = 4;

/**
 * A worker's old-generation heap, in MiB (BENCHBOOK_WORKER_HEAP_MB, else 128). A renderer holds
 * about 60 MiB live; without a limit V8 lets the garbage of rendering grow its heap to three times
 * that before collecting it, which is most of a build's memory. A worker that runs out of it stops
 * and its task runs again in this thread, which has no such limit: slower, never lost.
 */
export function workerHeapMb(): number {
  const n = Number(process.env['BENCHBOOK_WORKER_HEAP_MB'] ?? '');
  return Number.isFinite(n) && n > 0 ? n : 128;
}

/**
 * How far V8 lets a heap grow past what its last full collection kept before it collects again, in
 * percent (BENCHBOOK_HEAP_GROWTH, else 60; 0 leaves V8's own). On a machine with memory to spare
 * V8 lets it grow up to fourfold: the main thread, which holds the build's state (some 65 MiB live
 * at 100 experiments, libraries included) and renders too, then kept 300 MiB of heap, most of it
 * garbage. Set once per process, for every thread in it. At 100 experiments on two cores, 60 %
 * took the build's peak RSS from 843 to 617 MiB for 8 % more time (41.6 → 45.0 s); 30 % saved no
 * more memory and cost 15 %, 100 % kept 700 MiB.
 */
export function heapGrowthPercent(): number {
  const asked = process.env['BENCHBOOK_HEAP_GROWTH'];
  const n = Number(asked);
  return asked !== undefined && asked !== '' && Number.isFinite(n) && n >= 0 ? Math.floor(n) : 60;
}

/** Sets heapGrowthPercent() for this process, once. */
export function boundHeapGrowth(): void {
  if (growthSet) return;
  growthSet = true;
  const percent = heapGrowthPercent();
  if (percent > 0) setFlagsFromString(`--heap-growing-percent=${percent}`);
}

let growthSet = false;

/**
 * Tasks a worker holds at once: the one it runs and the next, so that it starts that one without
 * waiting for this thread, which may be rendering a page of its own for a second or more. It runs
 * them in turn (worker.ts).
 */
const DEPTH = 2;

/** The first queued task this thread may take: any, once no worker is left. -1 for none. */
export function forThisThread(queue: readonly { anywhere: boolean }[], workers: number): number {
  return queue.findIndex((q) => q.anywhere || workers === 0);
}

export class RenderPool {
  private readonly workers: Worker[] = [];
  private readonly queue: Queued[] = [];
  private readonly pending = new Map<number, Pending>();
  /** Tasks sent to a worker and not yet answered, to run again should the worker stop. */
  private readonly tasks = new Map<number, Task>();
  /** The tasks each worker holds, in the order it was given them. */
  private readonly held = new Map<Worker, number[]>();
  private next = 0;
  private local: ((task: Task) => Promise<unknown>) | null = null;
  private localBusy = false;
  private closing = false;
  /** Workers that stopped before the pool closed (out of memory, most likely). */
  lost = 0;

  private constructor(size: number) {
    const file = fileURLToPath(new URL('./worker.js', import.meta.url));
    if (size < 2 || !existsSync(file)) return;
    for (let i = 0; i < size - 1; i++) {
      const w = new Worker(file, { resourceLimits: { maxOldGenerationSizeMb: workerHeapMb() } });
      w.on('message', (msg: { id: number; result?: unknown; error?: unknown } | FontAsk) => {
        if ('font' in msg) void this.subset(w, msg.font, msg.text);
        else this.answer(w, msg.id, msg);
      });
      // An uncaught error ends the worker: 'exit' follows, and its task runs again here.
      w.on('error', () => {});
      w.on('exit', () => this.gone(w));
      this.workers.push(w);
      this.held.set(w, []);
    }
  }

  /** A pool of `size` renderers: this thread and `size - 1` workers (below two: this thread alone). */
  static create(size: number): RenderPool {
    return new RenderPool(size);
  }

  /** How many tasks run at once: the workers and this thread. */
  get parallel(): number {
    return this.workers.length === 0 ? 1 : this.workers.length + 1;
  }

  /**
   * Runs `task` on the first free renderer. `onWorker` keeps it off this thread while the pool has
   * a worker: for tasks whose garbage is large (a page of a hundred experiments' overview), which
   * would grow this thread's heap, which has no limit, for the rest of the build.
   */
  async run<T>(task: Task, options: { onWorker?: boolean } = {}): Promise<T> {
    this.local ??= (await import('./worker.js')).perform;
    if (this.workers.length === 0) return (await this.local(task)) as T;
    const id = this.next++;
    const result = new Promise<unknown>((resolve, reject) => this.pending.set(id, { resolve, reject }));
    this.queue.push({ id, task, anywhere: options.onWorker !== true });
    this.pump();
    return (await result) as T;
  }

  private pump(): void {
    // This thread takes a task too, when it has none; its result comes back like a worker's.
    const mine = forThisThread(this.queue, this.workers.length);
    if (!this.localBusy && this.local && mine >= 0) {
      const [job] = this.queue.splice(mine, 1) as [Queued];
      this.localBusy = true;
      const perform = this.local;
      setImmediate(() => {
        perform(job.task).then(
          (result) => this.answer(null, job.id, { result }),
          (e: unknown) => this.answer(null, job.id, { error: e }),
        );
      });
    }
    // Each worker up to its first task, then each up to DEPTH, so that work spreads before it queues.
    for (let depth = 1; depth <= DEPTH; depth++) {
      for (const w of this.workers) {
        const held = this.held.get(w) ?? [];
        if (held.length >= depth || this.queue.length === 0) continue;
        const job = this.queue.shift() as Queued;
        held.push(job.id);
        this.tasks.set(job.id, job.task);
        w.postMessage(job);
      }
    }
  }

  /**
   * A task answered, by this thread (`w` null) or a worker, which is then free again. A worker's
   * error arrives as its reason (causes included); this thread's as the error itself.
   */
  private answer(w: Worker | null, id: number, msg: { result?: unknown; error?: unknown }): void {
    if (w === null) this.localBusy = false;
    else {
      const held = this.held.get(w) ?? [];
      const at = held.indexOf(id);
      if (at >= 0) held.splice(at, 1);
      this.tasks.delete(id);
    }
    const p = this.pending.get(id);
    this.pending.delete(id);
    if (msg.error !== undefined) p?.reject(msg.error instanceof Error ? msg.error : new Error(String(msg.error)));
    else p?.resolve(msg.result);
    this.pump();
  }

  /**
   * A chart font subset a worker asks for (worker.ts): made in this thread, which keeps one for
   * every renderer (fonts.ts chartFontFor), and sent as a copy of its own that moves to the worker.
   */
  private async subset(w: Worker, font: number, text: string): Promise<void> {
    try {
      const bytes = new Uint8Array(await (await import('./fonts.js')).chartFontFor(text));
      w.postMessage({ font, bytes } satisfies FontAnswer, [bytes.buffer]);
    } catch (e) {
      w.postMessage({ font, error: reasonOf(e) } satisfies FontAnswer);
    }
  }

  /** A worker that stopped (crashed, out of memory): out of the pool; its tasks run again, first, elsewhere. */
  private gone(w: Worker): void {
    if (this.closing) return;
    const i = this.workers.indexOf(w);
    if (i < 0) return;
    this.lost++;
    this.workers.splice(i, 1);
    const held = this.held.get(w) ?? [];
    this.held.delete(w);
    const again = held.flatMap((id) => {
      const task = this.tasks.get(id);
      this.tasks.delete(id);
      return task ? [{ id, task, anywhere: true }] : [];
    });
    this.queue.unshift(...again);
    this.pump();
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
