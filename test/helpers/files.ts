import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseContent, type FileResult } from '../../src/parse/index.js';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const sharedDir = join(repoRoot, '..', 'shared');
export const corpusDir = join(sharedDir, 'corpus');
export const artifactsDir = join(repoRoot, 'artifacts');
export const fixturesDir = join(repoRoot, 'test', 'fixtures');

/** Parses a file on disk in memory, naming it by its base name. */
export function parseAt(path: string): FileResult {
  return parseContent(readFileSync(path), path.split('/').pop() ?? path);
}

/** Parses a string as if it were a file of that name. */
export function parseString(text: string, name = 'input.txt'): FileResult {
  return parseContent(Buffer.from(text, 'utf8'), name);
}
