import { randomBytes } from 'node:crypto';
import { chown } from 'node:fs/promises';
import { DockerDriver } from '@studios/runtime';
import { emptyAgentFolders, tempDir } from '@studios/testkit';
import { describeTerminalService } from './testing/terminal-service-contract';

// The same behaviour on the real engine: every test gets its own Studio container.
describeTerminalService('the Docker driver', async () => {
  const { dir: workspaceDir, cleanup: removeWorkspace } = tempDir('studios-terminal-');
  // The Studio user (uid 1000) owns /workspace, as the server prepares it.
  if (process.getuid?.() === 0) await chown(workspaceDir, 1000, 1000);
  const driver = new DockerDriver({ agent: emptyAgentFolders() });
  const studioId = `term-${randomBytes(5).toString('hex')}`;
  await driver.ensure({ studioId, workspaceDir, machine: driver.catalog.get('cpu-small') });
  await driver.start(studioId);
  return {
    driver,
    studioId,
    cleanup: async () => {
      await driver.remove(studioId);
      await driver.dispose();
      removeWorkspace();
    },
  };
});
