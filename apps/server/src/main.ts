// Composition root: the only file that reads process.env (through loadConfig) and wires
// features into the server.
import { agentHostPaths, installAgentRuntime } from '@studios/agent';
import { loadConfig } from './config';
import { agentsFeature } from './features/agents';
import { collabFeature } from './features/collab';
import { chooseRuntimeDriver, runtimeFeature } from './features/runtime';
import { terminalsFeature } from './features/terminals';
import { createJsonLogger, describeError } from './logger';
import { createServer, type FeatureFactory } from './server';

const config = loadConfig(process.env);
const log = createJsonLogger({ level: config.logLevel });

try {
  // ── Runtime and features ──────────────────────────────────────────────────────────────────
  // The agent (Node and its bundle) is installed where the driver mounts it into every Studio:
  // every Studio's files and ports go through its agent, never the host's file system. The
  // driver is shared: the runtime feature manages lifecycles with it, the server's agent hub
  // starts agents through it, terminals (later kernels, SSH) run processes through it.
  const agentPaths = agentHostPaths(config.dataDir);
  const agentVersion = await installAgentRuntime(agentPaths.runtimeDir);
  const driver = await chooseRuntimeDriver(config, log, agentPaths);
  // Order matters for shutdown and Studio deletion, which run in reverse: collab flushes its
  // documents through the agents before they end, and the agents end before the driver goes.
  const features: FeatureFactory[] = [runtimeFeature(), agentsFeature(), collabFeature(), terminalsFeature()];
  // ──────────────────────────────────────────────────────────────────────────────────────────

  const server = await createServer({ config, runtime: { driver, agentPaths }, features, log });
  const { url } = await server.listen();
  log.info('Studios is listening', { url, dataDir: config.dataDir, runtime: driver.kind, agentVersion });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info('shutting down', { signal });
    try {
      await server.close();
      process.exit(0);
    } catch (error) {
      log.error('shutdown failed', describeError(error));
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
} catch (error) {
  log.error('Studios failed to start', describeError(error));
  process.exit(1);
}
