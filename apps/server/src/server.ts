import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import { AgentHub } from '@studios/agent';
import { type Clock, type Logger, systemClock } from '@studios/base';
import { CloseCode } from '@studios/protocol';
import type { AgentHostPaths, RuntimeDriver } from '@studios/runtime';
import type { Hono } from 'hono';
import type { Config } from './config';
import { type Database, openDatabase } from './db/database';
import type { Feature, FeatureContext } from './features/feature';
import { createApp } from './http/app';
import type { AppEnv, Services } from './http/app-env';
import { createJsonLogger, describeError } from './logger';
import { compilePathPattern } from './path-pattern';
import { AccessControl } from './services/access-control';
import { AuthService } from './services/auth-service';
import { StudioEventHub } from './services/event-hub';
import { MembersService } from './services/members-service';
import { StudioActivity } from './services/studio-activity';
import { StudiosService } from './services/studios-service';
import { eventsSocketRoute } from './ws/events-socket';
import { UpgradeRouter } from './ws/upgrade-router';

/** Creates a feature once the server's services exist. */
export type FeatureFactory = (context: FeatureContext) => Feature | Promise<Feature>;

/** Where Studios run: the driver, and the host folders of their agents (see @studios/agent). */
export interface ServerRuntime {
  driver: RuntimeDriver;
  agentPaths: AgentHostPaths;
}

export interface CreateServerOptions {
  config: Config;
  runtime: ServerRuntime;
  features?: readonly FeatureFactory[];
  clock?: Clock;
  /** Defaults to JSON lines on stdout at `config.logLevel`. */
  log?: Logger;
}

/** A built server: the app for in-process requests, and listen/close for a real one. */
export interface StudiosServer {
  app: Hono<AppEnv>;
  services: Services;
  db: Database;
  features: readonly Feature[];
  sockets: UpgradeRouter;
  /** Starts listening (port 0 picks a free port); resolves with the bound address. */
  listen(port?: number, host?: string): Promise<{ url: string; port: number }>;
  /** Graceful shutdown: stop accepting, close sockets with 4503, stop features, close the DB. */
  close(): Promise<void>;
}

/** How long sockets get to finish their close handshake on shutdown before being cut. */
const SOCKET_CLOSE_GRACE_MS = 1000;

/**
 * A stopped Studio's files-only sandbox needs only an image with the Studio user; the first CPU
 * machine type's image is always there (GPU images may not be).
 */
function sandboxMachine(config: Config) {
  const machine = config.machineTypes.find((type) => type.gpus === 0) ?? config.machineTypes[0];
  if (!machine) throw new Error('The machine catalog is empty.');
  return machine;
}

/** Builds the whole server from its configuration, its runtime and its features. */
export async function createServer(options: CreateServerOptions): Promise<StudiosServer> {
  const { config } = options;
  const clock = options.clock ?? systemClock;
  const log = options.log ?? createJsonLogger({ level: config.logLevel });
  const db = openDatabase(config.dataDir);
  const access = new AccessControl(db);
  const events = new StudioEventHub();
  const activity = new StudioActivity();
  const auth = new AuthService({ db, clock });
  const studios = new StudiosService({
    db,
    dataDir: config.dataDir,
    clock,
    access,
    events,
    machineTypes: config.machineTypes,
    log,
  });
  const members = new MembersService({ db, clock, access });
  const services: Services = { config, clock, log, auth, access, studios, members, events, activity };
  const { driver } = options.runtime;
  const agents = new AgentHub({
    driver,
    paths: options.runtime.agentPaths,
    log: log.child({ feature: 'agents' }),
    clock,
    spec: async (studioId) => {
      const studio = studios.get(studioId);
      if (!studio) throw new Error(`Studio ${studioId} does not exist`);
      return { studioId, workspaceDir: studios.workspaceDir(studioId), machine: sandboxMachine(config) };
    },
  });

  const features: Feature[] = [];
  for (const factory of options.features ?? []) {
    const feature = await factory({
      config,
      db,
      access,
      events,
      activity,
      log,
      clock,
      studios,
      driver,
      agents,
    });
    features.push(feature);
  }
  const sockets = new UpgradeRouter({ config, auth, access, studios, log });
  sockets.add(eventsSocketRoute(events));
  for (const feature of features) {
    for (const route of feature.sockets ?? []) sockets.add(route);
    if (feature.onStudioDeleted) studios.onBeforeDelete(feature.onStudioDeleted.bind(feature));
  }
  const app = createApp(services, {
    featureRoutes: features.flatMap((feature) => (feature.routes ? [feature.routes] : [])),
    featureApiRoutes: features.flatMap((feature) => feature.apiRoutes ?? []),
    bodyLimits: features.flatMap((feature) =>
      (feature.bodyLimits ?? []).map((rule) => ({
        match: compilePathPattern(rule.pattern),
        maxBytes: rule.maxBytes,
      })),
    ),
  });
  for (const feature of features) await feature.start?.();

  let httpServer: ReturnType<typeof createAdaptorServer> | undefined;
  let closing: Promise<void> | undefined;

  const listen: StudiosServer['listen'] = (port = config.port, host = config.host) =>
    new Promise((resolve, reject) => {
      const server = createAdaptorServer({ fetch: app.fetch, serverOptions: { maxHeaderSize: 16 * 1024 } });
      httpServer = server;
      server.on('upgrade', sockets.handleUpgrade);
      server.once('error', reject);
      server.listen(port, host, () => {
        const address = server.address() as AddressInfo;
        const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
        resolve({ url: `http://${urlHost}:${address.port}`, port: address.port });
      });
    });

  const shutdown = async () => {
    const server = httpServer as import('node:http').Server | undefined;
    const stopped = server
      ? new Promise<void>((resolve) => server.close(() => resolve()))
      : Promise.resolve();
    server?.closeIdleConnections();
    sockets.closeAll(CloseCode.ServerRestarting, 'Server restarting');
    const deadline = Date.now() + SOCKET_CLOSE_GRACE_MS;
    while (sockets.openCount > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    sockets.dispose();
    for (const feature of [...features].reverse()) {
      try {
        await feature.stop?.();
      } catch (error) {
        log.error('feature failed to stop', { feature: feature.name, ...describeError(error) });
      }
    }
    // After the features: collab has flushed its documents through the agents by now.
    agents.dispose();
    server?.closeAllConnections();
    await stopped;
    db.close();
  };

  return {
    app,
    services,
    db,
    features,
    sockets,
    listen,
    close: () => {
      closing ??= shutdown();
      return closing;
    },
  };
}
