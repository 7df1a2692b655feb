/**
 * This thread's heap kept near what it holds. Workers have a heap limit (pool.ts); this thread
 * cannot be given one once started, and V8 lets the garbage of rendering grow its heap to several
 * times what is live before it collects, which is most of a build's peak memory. After each task
 * this thread renders, a heap grown past HEAP_SLACK_MB over what the last collection left is
 * collected at once.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

const HEAP_SLACK_MB = 96;

let collect: (() => void) | null = null;
let after = 0;

/** Collects this thread's garbage when its heap grew by more than HEAP_SLACK_MB since the last time. */
export function collectIfGrown(): void {
  const used = process.memoryUsage().heapUsed;
  if (used - after < HEAP_SLACK_MB * 2 ** 20) return;
  if (collect === null) {
    setFlagsFromString('--expose-gc');
    collect = runInNewContext('gc') as () => void;
  }
  collect();
  after = process.memoryUsage().heapUsed;
}
