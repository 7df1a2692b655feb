/**
 * The render pool's choices that shape a build's memory: which queued task the main thread may
 * take, and how far each heap may grow before V8 collects it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { forThisThread, heapGrowthPercent } from '../../src/pipeline/pool.js';

describe('the main thread and the render queue', () => {
  const queue = [{ anywhere: false }, { anywhere: false }, { anywhere: true }, { anywhere: true }];

  it('passes over the tasks kept for workers and takes the first it may', () => {
    expect(forThisThread(queue, 1)).toBe(2);
    expect(forThisThread(queue.slice(0, 2), 1)).toBe(-1);
    expect(forThisThread([], 1)).toBe(-1);
  });

  it('takes any task once no worker is left, so none waits for ever', () => {
    expect(forThisThread(queue, 0)).toBe(0);
    expect(forThisThread(queue.slice(0, 2), 0)).toBe(0);
  });
});

describe('the heap growth a build asks of V8', () => {
  const before = process.env['BENCHBOOK_HEAP_GROWTH'];
  afterEach(() => {
    if (before === undefined) delete process.env['BENCHBOOK_HEAP_GROWTH'];
    else process.env['BENCHBOOK_HEAP_GROWTH'] = before;
  });
  const withEnv = (value: string | undefined) => {
    if (value === undefined) delete process.env['BENCHBOOK_HEAP_GROWTH'];
    else process.env['BENCHBOOK_HEAP_GROWTH'] = value;
    return heapGrowthPercent();
  };

  it('is 60 % unless BENCHBOOK_HEAP_GROWTH says otherwise', () => {
    expect(withEnv(undefined)).toBe(60);
    expect(withEnv('')).toBe(60);
    expect(withEnv('50')).toBe(50);
    expect(withEnv('12.7')).toBe(12);
  });

  it('is 0 (V8 left to itself) when asked, and 60 for what is not a percentage', () => {
    expect(withEnv('0')).toBe(0);
    expect(withEnv('-5')).toBe(60);
    expect(withEnv('lots')).toBe(60);
  });
});
