import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    // Integration tests start real HTTP servers and open real SQLite files.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Runtime tests on Docker install the Studio firewall; removed again after the run.
    globalSetup: ['../../scripts/vitest-firewall-teardown.ts'],
  },
});
