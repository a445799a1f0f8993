import { defineConfig } from 'vitest/config';

// End-to-end specs drive real Chromium against the production build served by a real
// Studios server; they share one machine with 2 cores, so they run one file at a time.
export default defineConfig({
  test: {
    include: ['specs/**/*.e2e.test.ts'],
    fileParallelism: false,
    testTimeout: 90_000,
    hookTimeout: 180_000,
    pool: 'forks',
    // The Studios servers the specs start on Docker install the host firewall rules, as a real
    // server does; the run removes them again unless they were there before it.
    globalSetup: ['../scripts/vitest-firewall-teardown.ts'],
  },
});
