import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Real kernels in a Docker Studio take a few seconds to start; the defaults (5 s) are too short.
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // The Docker suite's driver installs the Studio firewall; removed again after the run.
    globalSetup: ['../../scripts/vitest-firewall-teardown.ts'],
  },
});
