import type { AgentHub } from '@studios/agent';
import { type Clock, DisposableStore, type Logger } from '@studios/base';
import { type Role, studioSlug } from '@studios/protocol';
import type { RuntimeDriver } from '@studios/runtime';
import type {
  SshConnectionControl,
  SshGatewayBackend,
  SshLoginAttempt,
  SshPrincipal,
  SshStudioSession,
} from '@studios/ssh-gateway';
import type { Database } from '../../db/database';
import { StudiosRepo } from '../../db/studios-repo';
import { UsersRepo } from '../../db/users-repo';
import type { AccessControl } from '../../services/access-control';
import { FailureRateLimiter } from '../../services/rate-limiter';
import type { StudioActivity } from '../../services/studio-activity';
import type { RuntimeController } from '../runtime';
import type { SshKeyService } from './ssh-key-service';
import type { SshSessionRegistry } from './ssh-session-registry';

/** Source name under which SSH traffic reports activity to idle sleep. */
const ACTIVITY_SOURCE = 'ssh';
/** Refused logins per source address before it must wait (OpenSSH's MaxStartups spirit). */
const LOGIN_FAILURES_PER_WINDOW = 30;
const LOGIN_FAILURE_WINDOW_MS = 5 * 60_000;

export interface SshBackendOptions {
  db: Database;
  keys: SshKeyService;
  access: AccessControl;
  sessions: SshSessionRegistry;
  runtime: RuntimeController;
  driver: RuntimeDriver;
  agents: AgentHub;
  activity: StudioActivity;
  clock: Clock;
  log: Logger;
}

const mayEnter = (role: Role | null): boolean => role === 'owner' || role === 'editor';

/**
 * The server's answer to the gateway: which key belongs to whom, which Studio a user name
 * means, whether that person may run processes there, and how their channels reach it (the
 * runtime driver for processes, the Studio's agent for ports). Every refusal looks the same
 * from outside, and refusals per source address are rate-limited.
 */
export class SshBackend implements SshGatewayBackend {
  readonly #options: SshBackendOptions;
  readonly #users: UsersRepo;
  readonly #studios: StudiosRepo;
  readonly #limiter: FailureRateLimiter;

  constructor(options: SshBackendOptions) {
    this.#options = options;
    this.#users = new UsersRepo(options.db);
    this.#studios = new StudiosRepo(options.db);
    this.#limiter = new FailureRateLimiter({
      maxFailures: LOGIN_FAILURES_PER_WINDOW,
      windowMs: LOGIN_FAILURE_WINDOW_MS,
      clock: options.clock,
    });
  }

  allowAttempt(remoteAddress: string): boolean {
    const decision = this.#limiter.check(remoteAddress);
    if (!decision.allowed) this.#options.log.warn('ssh login rate-limited', { remoteAddress });
    return decision.allowed;
  }

  async authorize(attempt: SshLoginAttempt): Promise<SshPrincipal | null> {
    const principal = this.#principalFor(attempt);
    if (!principal) {
      this.#limiter.recordFailure(attempt.remoteAddress);
      this.#options.log.info('ssh login refused', {
        remoteAddress: attempt.remoteAddress,
        username: attempt.username.slice(0, 100),
        algorithm: attempt.algorithm,
      });
    }
    return principal;
  }

  connect(principal: SshPrincipal, control: SshConnectionControl): SshStudioSession {
    const { studioId, userId } = principal;
    const { access, keys, sessions, runtime, driver, agents, activity } = this.#options;
    const log = this.#options.log.child({ studioId, userId, connection: control.id });
    keys.markUsed(principal.keyId);
    log.info('ssh connected', { remoteAddress: control.remoteAddress, client: control.clientVersion });
    const owned = new DisposableStore();
    owned.add(
      sessions.add(
        studioId,
        {
          id: control.id,
          userId,
          name: principal.userName,
          client: control.clientVersion,
          keyId: principal.keyId,
        },
        (reason) => control.close(reason),
      ),
    );
    // Synchronous with the change: a removed member's session ends inside the request that removed them.
    owned.add(
      access.watch(studioId, userId, (role) => {
        if (mayEnter(role)) return;
        control.close(
          role === 'viewer'
            ? 'Your role in this Studio is now viewer: SSH needs editor access.'
            : 'Your access to this Studio was removed.',
        );
      }),
    );
    return {
      ready: async (notice) => {
        const { state } = runtime.status(studioId);
        if (state === 'running') return;
        const started = this.#options.clock.now();
        notice(
          state === 'starting'
            ? `Studios: "${principal.studioName}" is starting…`
            : `Studios: "${principal.studioName}" is ${state === 'stopping' ? 'stopping' : 'asleep'}; starting it…`,
        );
        await runtime.whenRunning(studioId, (message) => notice(`Studios: ${message}`));
        notice(
          `Studios: "${principal.studioName}" is running (${((this.#options.clock.now() - started) / 1000).toFixed(1)} s).`,
        );
      },
      exec: (options) => driver.exec(studioId, options),
      connectPort: (port) => agents.files(studioId).connectPort(port),
      activity: () => activity.touch(studioId, ACTIVITY_SOURCE),
      channelOpened: (kind) => sessions.channelOpened(studioId, control.id, kind),
      dispose: () => {
        owned.dispose();
        log.info('ssh disconnected');
      },
    };
  }

  #principalFor(attempt: SshLoginAttempt): SshPrincipal | null {
    const key = this.#options.keys.findByBlob(attempt.keyBlob);
    if (!key || !algorithmMatches(key.algorithm, attempt.algorithm)) return null;
    const user = this.#users.byId(key.userId);
    if (!user) return null;
    // The local runtime runs processes on the server's own machine: its admin only.
    if (this.#options.driver.kind === 'local' && !user.isAdmin) return null;
    const studio = this.#resolveStudio(user.id, attempt.username);
    if (!studio) return null;
    return {
      userId: user.id,
      userName: user.name,
      keyId: key.id,
      studioId: studio.id,
      studioName: studio.name,
    };
  }

  /** The Studio a user name means for this person: its id, else the one Studio with that slug. */
  #resolveStudio(userId: string, username: string): { id: string; name: string } | undefined {
    const byId = this.#studios.byId(username);
    if (byId) return mayEnter(this.#options.access.roleOf(userId, byId.id)) ? byId : undefined;
    const matches = this.#studios
      .listForUser(userId)
      .filter((studio) => mayEnter(studio.role) && studioSlug(studio.name) === username);
    return matches.length === 1 ? matches[0] : undefined;
  }
}

/** The algorithm a client signs with must be the registered key's (RSA keys sign with SHA-2 too). */
function algorithmMatches(registered: string, offered: string): boolean {
  if (registered === offered) return true;
  return registered === 'ssh-rsa' && (offered === 'rsa-sha2-256' || offered === 'rsa-sha2-512');
}
