/** This thread's heap after a task: collected when it grew past the slack, left alone when not. */
import { describe, expect, it } from 'vitest';
import { collectIfGrown } from '../../src/pipeline/heap.js';

const MiB = 2 ** 20;
/** `n` MiB of arrays (each in V8's large-object space), reachable until the caller drops them. */
const arrays = (n: number) => Array.from({ length: n }, () => new Array<number>(MiB / 8).fill(1.5));

describe('collectIfGrown', () => {
  it('leaves a heap that grew by less than its slack, and collects one that grew by more', () => {
    collectIfGrown();
    let held: number[][] | null = arrays(16);
    const small = process.memoryUsage().heapUsed;
    held = null;
    collectIfGrown();
    // Nothing allocated since, and nothing collected: the 16 MiB are still there.
    expect(process.memoryUsage().heapUsed).toBeGreaterThan(small - 4 * MiB);

    held = arrays(200);
    const large = process.memoryUsage().heapUsed;
    expect(held).toHaveLength(200);
    held = null;
    collectIfGrown();
    expect(process.memoryUsage().heapUsed).toBeLessThan(large - 150 * MiB);
  });
});
