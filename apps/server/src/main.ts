// Composition root: the only file that reads process.env (through loadConfig) and wires
// features into the server.
import { agentHostPaths, installAgentRuntime } from '@studios/agent';
import { loadConfig } from './config';
import { chooseRuntimeDriver } from './features/runtime';
import { standardFeatures } from './features/standard-features';
import { createJsonLogger, describeError } from './logger';
import { createServer, type FeatureFactory } from './server';

const config = loadConfig(process.env);
const log = createJsonLogger({ level: config.logLevel });

try {
  // ── Runtime and features ──────────────────────────────────────────────────────────────────
  // The agent (Node and its bundle) is installed where the driver mounts it into every Studio:
  // every Studio's files and ports go through its agent, never the host's file system. The
  // driver is shared: the runtime feature manages lifecycles with it, the server's agent hub
  // starts agents through it, terminals and kernels (later SSH) run processes through it.
  const agentPaths = agentHostPaths(config.dataDir);
  const agentVersion = await installAgentRuntime(agentPaths.runtimeDir);
  const driver = await chooseRuntimeDriver(config, log, agentPaths);
  const features: FeatureFactory[] = standardFeatures();
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
