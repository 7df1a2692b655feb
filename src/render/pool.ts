/**
 * The build's render pool: experiments and site pages rendered on every core, by this thread and
 * `size - 1` worker threads (each a full renderer with its own heap, so one per core and no more).
 * With a size below two (BENCHBOOK_WORKERS=0 or 1, one core, or no compiled worker beside this
 * module, as under the test runner) everything runs in this thread; the outputs are the same.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Task } from './worker.js';

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

export class RenderPool {
  private readonly workers: Worker[] = [];
  private readonly idle: Worker[] = [];
  private readonly queue: { id: number; task: Task }[] = [];
  private readonly pending = new Map<number, Pending>();
  private readonly busy = new Map<Worker, number>();
  private next = 0;
  private local: ((task: Task) => Promise<unknown>) | null = null;
  private localBusy = false;
  private closing = false;

  private constructor(size: number) {
    const file = fileURLToPath(new URL('./worker.js', import.meta.url));
    if (size < 2 || !existsSync(file)) return;
    for (let i = 0; i < size - 1; i++) {
      const w = new Worker(file);
      w.on('message', (msg: { id: number; result?: unknown; error?: string }) => this.done(w, msg));
      w.on('error', (e) => this.fail(w, e));
      w.on('exit', () => this.gone(w));
      this.workers.push(w);
      this.idle.push(w);
    }
  }

  /** A pool of `size` workers (fewer than two: none, tasks run in this thread). */
  static create(size: number): RenderPool {
    return new RenderPool(size);
  }

  /** How many tasks run at once: the workers and this thread. */
  get parallel(): number {
    return this.workers.length === 0 ? 1 : this.workers.length + 1;
  }

  async run<T>(task: Task): Promise<T> {
    this.local ??= (await import('./worker.js')).perform;
    if (this.workers.length === 0) return (await this.local(task)) as T;
    const id = this.next++;
    const result = new Promise<unknown>((resolve, reject) => this.pending.set(id, { resolve, reject }));
    this.queue.push({ id, task });
    this.pump();
    return (await result) as T;
  }

  private pump(): void {
    // This thread takes a task too, when it has none; its result comes back like a worker's.
    if (!this.localBusy && this.local && this.queue.length > 0) {
      const job = this.queue.shift() as { id: number; task: Task };
      this.localBusy = true;
      const perform = this.local;
      setImmediate(() => {
        perform(job.task).then(
          (result) => this.settle(job.id, { result }),
          (e: unknown) => this.settle(job.id, { error: e instanceof Error ? (e.stack ?? e.message) : String(e) }),
        );
      });
    }
    while (this.idle.length > 0 && this.queue.length > 0) {
      const w = this.idle.pop() as Worker;
      const job = this.queue.shift() as { id: number; task: Task };
      this.busy.set(w, job.id);
      w.postMessage(job);
    }
  }

  private settle(id: number, msg: { result?: unknown; error?: string }): void {
    this.localBusy = false;
    const p = this.pending.get(id);
    this.pending.delete(id);
    if (msg.error !== undefined) p?.reject(new Error(msg.error));
    else p?.resolve(msg.result);
    this.pump();
  }

  private done(w: Worker, msg: { id: number; result?: unknown; error?: string }): void {
    this.busy.delete(w);
    this.idle.push(w);
    const p = this.pending.get(msg.id);
    this.pending.delete(msg.id);
    if (msg.error !== undefined) p?.reject(new Error(msg.error));
    else p?.resolve(msg.result);
    this.pump();
  }

  private fail(w: Worker, e: Error): void {
    const id = this.busy.get(w);
    if (id !== undefined) {
      this.pending.get(id)?.reject(e);
      this.pending.delete(id);
    }
  }

  /** A worker that stopped: out of the pool; with none left, whatever waits fails. */
  private gone(w: Worker): void {
    if (this.closing) return;
    const i = this.workers.indexOf(w);
    if (i < 0) return;
    this.workers.splice(i, 1);
    const j = this.idle.indexOf(w);
    if (j >= 0) this.idle.splice(j, 1);
    this.fail(w, new Error('render worker stopped'));
    if (this.workers.length === 0) {
      for (const job of this.queue.splice(0)) this.pending.get(job.id)?.reject(new Error('no render worker left'));
    }
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
