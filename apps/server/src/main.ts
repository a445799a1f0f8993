// Composition root: the only file that reads process.env (through loadConfig) and wires
// features into the server.
import { loadConfig } from './config';
import { collabFeature } from './features/collab';
import { chooseRuntimeDriver, runtimeFeature } from './features/runtime';
import { terminalsFeature } from './features/terminals';
import { createJsonLogger, describeError } from './logger';
import { createServer, type FeatureFactory } from './server';

const config = loadConfig(process.env);
const log = createJsonLogger({ level: config.logLevel });

try {
  // ── Features ──────────────────────────────────────────────────────────────────────────────
  // Order matters only for shutdown, which runs in reverse. The runtime driver is shared: the
  // runtime feature manages lifecycles with it; terminals (later kernels, SSH) run processes
  // through it.
  const driver = await chooseRuntimeDriver(config, log);
  const features: FeatureFactory[] = [
    collabFeature({ fileOwner: config.workspaceOwner }),
    runtimeFeature({ driver }),
    terminalsFeature({ driver }),
  ];
  // ──────────────────────────────────────────────────────────────────────────────────────────

  const server = await createServer({ config, features, log });
  const { url } = await server.listen();
  log.info('Studios is listening', { url, dataDir: config.dataDir, runtime: driver.kind });

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
