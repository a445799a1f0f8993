// Composition root: the only file that reads process.env (through loadConfig) and wires
// features into the server.
import { loadConfig } from './config';
import { collabFeature } from './features/collab';
import { runtimeFeature } from './features/runtime';
import { keepFeature, terminalsFeature } from './features/terminals';
import { createJsonLogger, describeError } from './logger';
import { createServer, type FeatureFactory } from './server';

const config = loadConfig(process.env);
const log = createJsonLogger({ level: config.logLevel });

// ── Features ────────────────────────────────────────────────────────────────────────────────
// Add each feature's factory here (collab, runtime, terminal…). Order matters only for
// shutdown, which runs in reverse.
const runtime = keepFeature(runtimeFeature());
const features: FeatureFactory[] = [
  collabFeature(),
  runtime.factory,
  terminalsFeature({ runtime: runtime.get }),
];
// ────────────────────────────────────────────────────────────────────────────────────────────

try {
  const server = await createServer({ config, features, log });
  const { url } = await server.listen();
  log.info('Studios is listening', { url, dataDir: config.dataDir });

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
