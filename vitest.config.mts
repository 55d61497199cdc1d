import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/engine/**/*.test.ts', 'test/extension/**/*.test.ts', 'test/browser/**/*.test.ts', 'test/release/**/*.test.ts'],
    testTimeout: 60_000,
    pool: 'threads',
    // builds the WebAssembly kernels and the compute pool's worker bundle once per run
    globalSetup: ['test/engine/ops/globalSetup.ts'],
  },
});
