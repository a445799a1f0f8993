import { defineConfig } from 'vitest/config';

export default defineConfig({
  // The tests drive the real OpenSSH client and make real keys (RSA-4096 takes seconds on a busy
  // machine); the defaults (5 s) are too short.
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
