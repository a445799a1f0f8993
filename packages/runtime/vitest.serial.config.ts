import { defineConfig } from 'vitest/config';

/**
 * Tests that disturb the whole host (e.g. restart dockerd) and so must never overlap another
 * test: run after the default run (`npm test`), one file at a time.
 */
export default defineConfig({
  test: {
    include: ['src/**/*.serial.test.ts'],
    fileParallelism: false,
    // A filter passed to `npm test` (meant for the default run) may match none of these.
    passWithNoTests: true,
  },
});
