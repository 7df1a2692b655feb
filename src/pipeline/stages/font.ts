/** 5. Font: one subset for every page, of the characters of all experiments and the words every page shares. */
import { sha256 } from '../../hash.js';
import { SITE_FONT } from '../../layout.js';
import type { BuildState } from '../state.js';
import { fontSubset } from '../fonts.js';

export async function fontStage(state: BuildState): Promise<void> {
  const { cache, sink, ctx } = state;
  const { sharedText } = await import('../../render/html/site.js');
  const shared = { locales: ctx.config.locales, defaultLocale: ctx.config.defaultLocale, strings: ctx.render.strings, withPdf: state.withPdf };
  const chars = [...new Set(state.entries.map((e) => e.chars).join('') + (state.overview?.chars ?? '') + sharedText(shared))].sort().join('');
  state.fontKey = sha256(chars);
  if (cache?.fresh(SITE_FONT, state.fontKey)) sink.keep(SITE_FONT);
  else {
    await sink.put(SITE_FONT, await fontSubset(chars));
    cache?.setKey(SITE_FONT, state.fontKey);
  }
  if (cache) cache.global = state.globalKey;
}
