import path from 'node:path';
import { LocalDriver } from '@studios/runtime';
import { emptyAgentFolders, isolatedHome, tempDir, waitFor } from '@studios/testkit';
import { expect } from 'vitest';
import { describeTerminalService } from './testing/terminal-service-contract';

describeTerminalService('the local driver', async () => {
  const { dir: workspaceDir, cleanup: removeWorkspace } = tempDir('studios-terminal-');
  const driver = new LocalDriver({ agent: emptyAgentFolders(), killGraceMs: 500, home: isolatedHome() });
  const studioId = `local-${path.basename(workspaceDir)}`;
  const machine = { id: 'cpu-1', label: '1 CPU', cpus: 1, memoryMb: 1024, pids: 256, gpus: 0, image: 'none' };
  await driver.ensure({ studioId, workspaceDir, machine });
  await driver.start(studioId);
  return {
    driver,
    studioId,
    cleanup: async () => {
      // Every shell the service started must be gone once it is disposed.
      await waitFor(() => driver.stats().processes === 0, { what: 'all shells to exit' });
      await driver.dispose();
      expect(driver.stats()).toEqual({ studios: 0, processes: 0 });
      removeWorkspace();
    },
  };
});
