import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  // Tests that restart shared system parts (dockerd) run alone, from vitest.serial.config.ts.
  test: {
    exclude: [...configDefaults.exclude, '**/*.serial.test.ts'],
    globalSetup: ['../../scripts/vitest-firewall-teardown.ts'],
  },
});
