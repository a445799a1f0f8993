import { defineConfig } from 'vitest/config';
// End-to-end specs drive real Chromium against the production build served by a real
// Studios server; they share one machine with 2 cores, so they run one file at a time.
export default defineConfig({
  test: {
    include: ['specs/**/*.e2e.test.ts'],
    fileParallelism: false,
    testTimeout: 90000,
    hookTimeout: 180000,
    pool: 'forks',
  },
});
