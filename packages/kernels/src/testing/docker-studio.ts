import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { AgentHub, agentHostPaths, installAgentRuntime } from '@studios/agent';
import { silentLogger } from '@studios/base';
import { DEFAULT_MACHINE_TYPES, DockerDriver, type StudioSpec } from '@studios/runtime';
import { tempDir, waitFor } from '@studios/testkit';
import type { StudioPortDialer } from '../ports/kernel-ports';

/** A running Docker Studio (image `studios/base`, which has ipykernel) with its agent, as the server has it. */
export interface DockerStudio {
  studioId: string;
  dataDir: string;
  driver: DockerDriver;
  hub: AgentHub;
  /** The agent's `port.connect`, as the server wires it into kernels. */
  dial: StudioPortDialer;
  cleanup(): Promise<void>;
}

export async function startDockerStudio(prefix: string): Promise<DockerStudio> {
  const studioId = `${prefix}-${Math.random().toString(36).slice(2, 8)}`;
  const temp = tempDir('studios-kernels-test-');
  const dataDir = temp.dir;
  const paths = agentHostPaths(dataDir);
  await installAgentRuntime(paths.runtimeDir);
  const driver = new DockerDriver({
    agent: paths,
    workspaceOwner: process.getuid?.() === 0 ? { uid: 1000, gid: 1000 } : undefined,
  });
  const machine = DEFAULT_MACHINE_TYPES[0];
  if (!machine) throw new Error('no default machine type');
  const workspaceDir = join(dataDir, 'studios', studioId, 'workspace');
  mkdirSync(workspaceDir, { recursive: true });
  const spec: StudioSpec = { studioId, workspaceDir, machine };
  const hub = new AgentHub({ driver, paths, spec: async () => spec, log: silentLogger });
  await driver.ensure(spec);
  await driver.start(studioId);
  hub.studioStateChanged(studioId, 'running');
  await hub.files(studioId).list(1);
  await waitFor(() => hub.where(studioId) === 'studio', {
    timeoutMs: 30_000,
    what: 'the agent inside the Studio',
  });
  return {
    studioId,
    dataDir,
    driver,
    hub,
    dial: (id, port) => hub.files(id).connectPort(port),
    cleanup: async () => {
      hub.dispose();
      await driver.remove(studioId).catch(() => {});
      await driver.dispose();
      temp.cleanup();
    },
  };
}
