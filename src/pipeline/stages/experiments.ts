/**
 * 2. Experiments: those the cache has are kept; the others are made (load → derive → render) on
 * every core, their files written and their entry and pages kept for the README and the site.
 */
import { messages as catalog } from '../../messages.js';
import type { RenderedExperiment } from '../../products.js';
import { makeExperiment } from '../experiment.js';
import type { BuildState } from '../state.js';

/** Makes experiment `i` of the plan: on a worker when the pool has some, else in this thread. */
async function make(state: BuildState, i: number): Promise<RenderedExperiment> {
  const p = state.plan[i];
  if (!p) throw new Error(`no experiment ${i} in the plan`);
  const job = { scanned: p.scanned, slug: p.slug, scanMessages: p.scanMessages };
  const pool = state.pool?.current ?? null;
  if (pool !== null && pool.parallel > 1) return pool.run<RenderedExperiment>({ kind: 'experiment', ctx: state.ctx.render, job });
  return makeExperiment(state.ctx.render, job);
}

/** Takes what experiment `i` produced: its files to the sink, its entry and pages to the cache or memory. */
async function take(state: BuildState, i: number, product: RenderedExperiment): Promise<void> {
  const { stats, cache, sink } = state;
  const p = state.plan[i];
  if (!p) return;
  stats.rendered++;
  stats.charts += product.stats.charts;
  stats.chartMs += product.stats.chartsMs;
  stats.ingestMs += product.stats.ingestMs;
  stats.bytesRead += product.stats.bytesRead;
  for (const [rel, content] of Object.entries(product.files)) await sink.put(rel, content);
  state.entries[i] = product.entry;
  if (cache) {
    cache.setExperiment(p.scanned.id, p.key, product.entry);
    await cache.savePages(p.key, product.pages);
  } else state.pages.set(p.scanned.id, product.pages);
}

/**
 * Makes and takes experiment `i`. One that cannot be made (a bug, not bad input: parsers report
 * that) loses its own report only: a message says why, and nothing of it is cached, so the next
 * build tries again. Returns its product, or null when it failed.
 */
export async function makeAndTake(state: BuildState, i: number): Promise<RenderedExperiment | null> {
  let product: RenderedExperiment;
  try {
    product = await make(state, i);
  } catch (e) {
    const p = state.plan[i];
    const id = p?.scanned.id ?? String(i);
    state.entries[i] = { id, slug: p?.slug ?? '', messages: [catalog.renderFailed(id, e)], chars: '', readme: {}, site: [], outputs: [], keyed: [] };
    return null;
  }
  await take(state, i, product);
  return product;
}

export async function experimentsStage(state: BuildState): Promise<void> {
  const { cache, sink, plan, progress } = state;
  state.entries = new Array(plan.length);
  const todo: number[] = [];
  for (const [i, p] of plan.entries()) {
    const hit = cache?.experiment(p.scanned.id, p.key) ?? null;
    if (hit && cache?.intact(hit.outputs)) {
      for (const rel of hit.outputs) sink.keep(rel);
      state.entries[i] = hit;
    } else todo.push(i);
  }
  let finished = plan.length - todo.length;
  progress('experiments', finished, plan.length);
  const pool = state.pool?.get(todo.length) ?? null;
  const one = async (i: number) => {
    await makeAndTake(state, i);
    progress('experiments', ++finished, plan.length);
  };
  if (pool !== null && pool.parallel > 1) await Promise.all(todo.map(one));
  else for (const i of todo) await one(i);
}
