import type { HttpBindings } from '@hono/node-server';
import type { Clock, Logger } from '@studios/base';
import type { Config } from '../config';
import type { UserRecord } from '../db/users-repo';
import type { AccessControl } from '../services/access-control';
import type { AuthService, Credential } from '../services/auth-service';
import type { StudioEventHub } from '../services/event-hub';
import type { MembersService } from '../services/members-service';
import type { StudioActivity } from '../services/studio-activity';
import type { StudiosService } from '../services/studios-service';

/** The server's services, reachable from any route as `c.get('services')`. */
export interface Services {
  config: Config;
  clock: Clock;
  log: Logger;
  auth: AuthService;
  access: AccessControl;
  studios: StudiosService;
  members: MembersService;
  events: StudioEventHub;
  activity: StudioActivity;
}

/** Hono environment of every route. Bindings are absent under `app.request()` in tests. */
export interface AppEnv {
  Bindings: Partial<HttpBindings>;
  Variables: {
    services: Services;
    /** The signed-in user, set by the auth middleware when a cookie or token is valid. */
    user: UserRecord | undefined;
    credential: Credential | undefined;
  };
}
