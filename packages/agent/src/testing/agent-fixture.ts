import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { silentLogger } from '@studios/base';
import { DEFAULT_MACHINE_TYPES, type RuntimeDriver, type StudioSpec } from '@studios/runtime';
import { tempDir } from '@studios/testkit';
import { AgentHub, type AgentHubOptions } from '../host/agent-hub';
import { agentHostPaths, installAgentRuntime } from '../host/agent-runtime';

/** A real agent runtime (this Node and the freshly built bundle) in a temp data folder. */
export async function agentDataDir(): Promise<{ dataDir: string; cleanup(): void }> {
  const temp = tempDir('studios-agent-test-');
  await installAgentRuntime(agentHostPaths(temp.dir).runtimeDir);
  return { dataDir: temp.dir, cleanup: temp.cleanup };
}

/** An AgentHub over `driver` whose Studios live in `dataDir/studios/<id>/workspace`. */
export function testAgentHub(
  driver: RuntimeDriver,
  dataDir: string,
  overrides: Partial<AgentHubOptions> = {},
): { hub: AgentHub; spec(studioId: string): StudioSpec } {
  const machine = DEFAULT_MACHINE_TYPES[0];
  if (!machine) throw new Error('no default machine type');
  const spec = (studioId: string): StudioSpec => {
    const workspaceDir = join(dataDir, 'studios', studioId, 'workspace');
    mkdirSync(workspaceDir, { recursive: true });
    return { studioId, workspaceDir, machine };
  };
  const hub = new AgentHub({
    driver,
    paths: agentHostPaths(dataDir),
    spec: async (studioId) => spec(studioId),
    log: silentLogger,
    ...overrides,
  });
  return { hub, spec };
}
