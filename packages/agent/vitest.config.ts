import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Docker tests start Studios through a default DockerDriver, which installs the server's
    // firewall rules; the teardown removes them unless a server had them already.
    globalSetup: ['../../scripts/vitest-firewall-teardown.ts'],
  },
});
