/**
 * Corpus files of formats benchbook does not read yet: the to-do of the formats issue (issue 11,
 * "Read every major load generator …"). Each is checked to still be unread, so a format that lands
 * must take its files off this list; the list is empty when that issue closes.
 */
export const NOT_YET_READ: readonly string[] = [];
