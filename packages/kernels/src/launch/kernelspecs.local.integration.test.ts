import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { agentHostPaths } from '@studios/agent';
import { ErrorCode } from '@studios/protocol';
import { DEFAULT_MACHINE_TYPES, LocalDriver } from '@studios/runtime';
import { tempDir } from '@studios/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findKernelSpecs } from './kernelspecs';

// This machine's own python3 has no jupyter_client: a Studio without ipykernel must say so, in
// words that tell the user what to install, through the local runtime's real exec.
describe('kernelspec discovery without ipykernel (local runtime)', () => {
  const temp = tempDir('studios-kernels-local-');
  const studioId = 'kernels-local-1';
  let driver: LocalDriver;

  beforeAll(async () => {
    driver = new LocalDriver({ agent: agentHostPaths(temp.dir) });
    const workspaceDir = join(temp.dir, 'workspace');
    mkdirSync(workspaceDir, { recursive: true });
    const machine = DEFAULT_MACHINE_TYPES[0];
    if (!machine) throw new Error('no default machine type');
    await driver.ensure({ studioId, workspaceDir, machine });
    await driver.start(studioId);
  });

  afterAll(async () => {
    await driver?.dispose();
    temp.cleanup();
  });

  it('is kernel_unavailable, naming what to install', async () => {
    await expect(findKernelSpecs(driver, studioId)).rejects.toMatchObject({
      code: ErrorCode.KernelUnavailable,
      message: expect.stringMatching(/pip install ipykernel/),
    });
  });
});
