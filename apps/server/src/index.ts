// Public surface of the server package: what features and tests build on.
export {
  type Config,
  ConfigError,
  DEFAULT_MACHINE_TYPES,
  type LogLevel,
  loadConfig,
  type RuntimeChoice,
} from './config';
export type { Database } from './db/database';
export type { StudioRecord } from './db/studios-repo';
export type { UserRecord } from './db/users-repo';
export { errors } from './errors';
export type { Feature, FeatureContext, SocketContext, SocketHandle, SocketRoute } from './features/feature';
export type { AppEnv, Services } from './http/app-env';
export { requireStudioRole, requireUser, SESSION_COOKIE } from './http/authenticate';
export { isAllowedOrigin } from './http/origin-guard';
export { type ApiRoute, defineRoute, readJsonBody } from './http/route-table';
export { isoTime } from './iso-time';
export { createJsonLogger, describeError } from './logger';
export { type CreateServerOptions, createServer, type FeatureFactory, type StudiosServer } from './server';
export { AccessControl } from './services/access-control';
export { StudioEventHub } from './services/event-hub';
export { roleAtLeast } from './services/roles';
export { StudiosService } from './services/studios-service';
export { ACCESS_REMOVED_REASON } from './ws/upgrade-router';
