import { defineConfig } from 'vitest/config';

/** The suite over the real files in ../shared/corpus and ../shared/fixtures (not shipped with the repo). */
export default defineConfig({
  test: {
    include: ['test/corpus/**/*.test.ts'],
    pool: 'forks',
    maxWorkers: 2,
  },
});
