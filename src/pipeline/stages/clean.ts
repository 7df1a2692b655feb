/** 7. Clean-up: owned files this build did not produce are removed; then the cache index, last and atomically. */
import { OWNED } from '../../layout.js';
import type { DiskSink } from '../../write/write.js';
import type { BuildState } from '../state.js';

export async function cleanStage(state: BuildState, sink: DiskSink): Promise<void> {
  await sink.finish(OWNED);
  if (state.cache) {
    await state.cache.save(new Set(state.plan.map((p) => p.scanned.id)), new Set([...state.plan.map((p) => p.key), ...(state.overviewKey ? [state.overviewKey] : [])]), sink.expected);
  }
}
