import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Real shells and sockets (and Docker for the Docker suite) need more than the 5 s default.
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // The Docker suite's driver installs the Studio firewall; removed again after the run.
    globalSetup: ['../../scripts/vitest-firewall-teardown.ts'],
  },
});
