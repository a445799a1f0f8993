import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { type AgentFiles, AgentHub, agentHostPaths, installAgentRuntime } from '@studios/agent';
import { silentLogger } from '@studios/base';
import {
  DEFAULT_MACHINE_TYPES,
  DockerDriver,
  LocalDriver,
  type RuntimeDriver,
  type StudioSpec,
} from '@studios/runtime';
import { waitFor } from '@studios/testkit';

/** The image's `studio` user: owner of a Studio's files when the server runs as root. */
export const STUDIO_USER = { uid: 1000, gid: 1000 } as const;

/** One running Studio and its agent, driven in the bench process through the server's own classes. */
export interface AgentWorkspace extends AsyncDisposable {
  files: AgentFiles;
  /** The workspace folder on the host (the Studio's /workspace). */
  workspaceDir: string;
  /** Where the agent runs: `studio` (inside the container) or `local` (a child process). */
  where: string;
}

/**
 * Starts a Studio on `runtime` and its agent, wired exactly as the server wires them
 * (apps/server/src/main.ts: installAgentRuntime, the driver, an AgentHub), in a temp data
 * folder. On Docker the Studio is started first, so the agent runs inside it as in a real
 * session (not in the files-only sandbox). Disposing removes the container, network and folder.
 */
export async function openAgentWorkspace(runtime: 'docker' | 'local'): Promise<AgentWorkspace> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'studios-bench-agent-'));
  const paths = agentHostPaths(dataDir);
  const studioId = `bench-agent-${randomUUID().slice(0, 8)}`;
  const machine = DEFAULT_MACHINE_TYPES[0];
  if (!machine) throw new Error('no default machine type');
  const spec: StudioSpec = {
    studioId,
    workspaceDir: path.join(dataDir, 'studios', studioId, 'workspace'),
    machine,
  };
  const asRoot = process.getuid?.() === 0;
  let driver: RuntimeDriver | undefined;
  let hub: AgentHub | undefined;
  const dispose = async () => {
    hub?.dispose();
    await driver?.remove(studioId).catch(() => undefined);
    await driver?.dispose();
    await rm(dataDir, { recursive: true, force: true });
  };
  try {
    await installAgentRuntime(paths.runtimeDir);
    await mkdir(spec.workspaceDir, { recursive: true });
    driver =
      runtime === 'docker'
        ? new DockerDriver({ agent: paths, workspaceOwner: asRoot ? STUDIO_USER : undefined })
        : new LocalDriver({ agent: paths });
    await driver.ensure(spec);
    await driver.start(studioId);
    hub = new AgentHub({ driver, paths, spec: async () => spec, log: silentLogger });
    const files = hub.files(studioId);
    await files.list(1);
    const connectedHub = hub;
    const where = await waitFor(() => connectedHub.where(studioId), {
      timeoutMs: 30_000,
      what: 'the agent to connect',
    });
    if (runtime === 'docker' && where !== 'studio')
      throw new Error(`agent runs in the ${where}, not the Studio`);
    return { files, workspaceDir: spec.workspaceDir, where, [Symbol.asyncDispose]: dispose };
  } catch (error) {
    await dispose();
    throw error;
  }
}
