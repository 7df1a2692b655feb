/** 3. README: the navigation per locale, from every experiment's entry, linking the tool's documentation. */
import { readmePath } from '../../layout.js';
import type { BuildState } from '../state.js';

export async function readmeStage(state: BuildState): Promise<void> {
  const { config, render, docs } = state.ctx;
  const { readmeView } = await import('../../render/markdown/view.js');
  const { templatesFor, tidy } = await import('../../render/markdown/templates.js');
  const { localeNames } = await import('../../render/strings.js');
  const { FORMATS } = await import('../../parse/registry.js');
  for (const locale of config.locales) {
    // Each section with what changed since the previous point of every series its experiment
    // continues; newest first, on the same day by title.
    const sections = state.entries
      .map((e) => (e.readme[locale] === undefined ? undefined : { ...e.readme[locale], history: state.overview?.history[e.id]?.[locale] ?? [] }))
      .filter((r) => r !== undefined)
      .sort((a, b) => (a.date === b.date ? (a.title < b.title ? -1 : a.title > b.title ? 1 : 0) : a.date < b.date ? 1 : -1));
    const view = readmeView(sections, locale, config.locales, config.defaultLocale, localeNames(render), docs, FORMATS, state.overview?.readme[locale] ?? null);
    await state.sink.put(readmePath(locale, config.defaultLocale), tidy(templatesFor(render.templates, locale).readme(view), locale));
  }
}
