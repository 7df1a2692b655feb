/** Words per locale that code needs (chart titles, axis labels): `templates/<locale>/strings.json`, read by the pipeline. */

export type Strings = Record<string, string>;

/** A word by key; a missing key is a bug in the templates, so it fails loudly. */
export function word(strings: Strings, key: string, vars: Record<string, string | number> = {}): string {
  const s = strings[key];
  if (s === undefined) throw new Error(`templates: strings.json has no "${key}"`);
  return s.replace(/\{(\w+)\}/g, (_, k: string) => String(vars[k] ?? `{${k}}`));
}

/** Each locale's name in its own language ("中文", "English"), from its strings. */
export function localeNames(ctx: { locales: readonly string[]; strings: Record<string, Strings> }): Record<string, string> {
  return Object.fromEntries(ctx.locales.map((l) => [l, ctx.strings[l]?.['locale.name'] ?? l]));
}
