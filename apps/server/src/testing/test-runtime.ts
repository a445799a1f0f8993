import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { agentHostPaths, installAgentRuntime } from '@studios/agent';
import type { Logger } from '@studios/base';
import { type AgentHostPaths, LocalDriver, type RuntimeDriver } from '@studios/runtime';
import type { Config } from '../config';
import { chooseRuntimeDriver } from '../features/runtime';
import type { ServerRuntime } from '../server';

/** A driver a test builds itself on the agent folders (e.g. with a fake image-build script). */
export type TestDriverFactory = (agentPaths: AgentHostPaths) => RuntimeDriver;

/**
 * A real runtime for a test server: the real agent (its runtime installed into the data folder:
 * the bundle is built once per test process and Node is hard-linked), and the driver `config`
 * asks for, as main.ts chooses it, except that local-runtime shells get an isolated HOME (in
 * the data folder, removed with it).
 */
export async function testRuntime(
  config: Config,
  log: Logger,
  factory?: TestDriverFactory,
): Promise<ServerRuntime> {
  const agentPaths = agentHostPaths(config.dataDir);
  await installAgentRuntime(agentPaths.runtimeDir);
  if (factory) return { driver: factory(agentPaths), agentPaths };
  // The shells' HOME lives in the data folder, so it goes when the test server does.
  const home = join(config.dataDir, 'home');
  if (config.runtime !== 'docker') mkdirSync(home, { recursive: true });
  const driver =
    config.runtime === 'docker'
      ? await chooseRuntimeDriver(config, log, agentPaths)
      : new LocalDriver({ agent: agentPaths, killGraceMs: 500, home });
  return { driver, agentPaths };
}
