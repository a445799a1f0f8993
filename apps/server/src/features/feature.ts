import type { IncomingMessage } from 'node:http';
import type { AgentHub } from '@studios/agent';
import type { Clock, Logger } from '@studios/base';
import type { Role } from '@studios/protocol';
import type { RuntimeDriver } from '@studios/runtime';
import type { Hono } from 'hono';
import type { WebSocket } from 'ws';
import type { Config } from '../config';
import type { Database } from '../db/database';
import type { AppEnv } from '../http/app-env';
import type { ApiRoute } from '../http/route-table';
import type { AccessControl } from '../services/access-control';
import type { StudioEventHub } from '../services/event-hub';
import type { StudioActivity } from '../services/studio-activity';
import type { StudiosService } from '../services/studios-service';

/** What a feature receives when the composition root creates it. */
export interface FeatureContext {
  config: Config;
  db: Database;
  access: AccessControl;
  events: StudioEventHub;
  /**
   * Report what keeps a Studio awake: user work (edits, terminal I/O) and busy processes. An
   * idle open tab does not count, so a forgotten browser never keeps a GPU running.
   */
  activity: StudioActivity;
  log: Logger;
  clock: Clock;
  /** get(id), workspaceDir(id) = <dataDir>/studios/<id>/workspace (created on create, removed on delete). */
  studios: StudiosService;
  /** Runs Studios (containers or local processes); shared by runtime, terminals, later kernels and SSH. */
  driver: RuntimeDriver;
  /** Every Studio's agent: the only way to a Studio's files and ports (never the host's file system). */
  agents: AgentHub;
}

/**
 * A pluggable part of the server (collab, runtime, terminal…). The server mounts its routes and
 * sockets, calls its hooks, and knows nothing else about it.
 */
export interface Feature {
  name: string;
  /** Hono sub-app mounted at /api; its routes see c.get('user') and use requireStudioRole(c, id, minRole). */
  routes?: Hono<AppEnv>;
  /** Routes defined with `defineRoute` (validated bodies, listed in /api/openapi.json); preferred over `routes`. */
  apiRoutes?: ApiRoute[];
  sockets?: SocketRoute[];
  /** Paths (socket-pattern syntax, e.g. '/api/studios/:studioId/files/upload') allowed a larger body. */
  bodyLimits?: Array<{ pattern: string; maxBytes: number }>;
  /** Called on studio deletion before the row is gone (stop containers, drop docs). */
  onStudioDeleted?(studioId: string): Promise<void>;
  start?(): Promise<void>;
  /** Graceful shutdown: flush and close. */
  stop?(): Promise<void>;
}

/** A WebSocket endpoint. The router authenticates and authorises before `handle` runs. */
export interface SocketRoute {
  /** e.g. '/api/studios/:studioId/collab/:doc'; must contain `:studioId`. */
  pattern: string;
  minRole: Role;
  /** Largest frame accepted; a bigger one closes the socket with 1009. */
  maxPayload: number;
  handle(ws: WebSocket, ctx: SocketContext): SocketHandle | undefined;
  /**
   * A last check before the handshake, after authentication and the role: throw a StudiosError
   * to refuse (answered with its HTTP status, like every other refusal).
   */
  admit?(who: { user: { id: string; isAdmin: boolean }; studioId: string }): void;
}

/** Who opened a socket, to which Studio, and with which role. */
export interface SocketContext {
  studioId: string;
  params: Record<string, string>;
  user: { id: string; name: string; email: string };
  role: Role;
  request: IncomingMessage;
}

/** What a socket handler may tell the router; `onRoleChange` runs when the role changes but stays allowed. */
export interface SocketHandle {
  onRoleChange?(role: Role): void;
}
