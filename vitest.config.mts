import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/engine/**/*.test.ts', 'test/extension/**/*.test.ts'],
    testTimeout: 60_000,
    pool: 'threads',
  },
});
