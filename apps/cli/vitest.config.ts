import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    // The integration test starts a real Studios server and runs the CLI as child processes.
    testTimeout: 60_000,
    hookTimeout: 90_000,
    pool: 'forks',
  },
});
