import { createHash, randomBytes } from 'node:crypto';
import type { Clock, Disposable } from '@studios/base';
import {
  ErrorCode,
  type LoginBody,
  type SignupBody,
  StudiosError,
  type TokenCreated,
  type TokenSummary,
  type User,
} from '@studios/protocol';
import type { Database } from '../db/database';
import { SessionsRepo } from '../db/sessions-repo';
import { type TokenRecord, TokensRepo } from '../db/tokens-repo';
import { type UserRecord, UsersRepo } from '../db/users-repo';
import { errors } from '../errors';
import { newId } from '../ids';
import { isoTime } from '../iso-time';
import { createDummyHash, hashPassword, verifyPassword } from './passwords';
import { FailureRateLimiter } from './rate-limiter';

/** What authenticated a request: a browser session or an API token (ids, never secrets). */
export interface Credential {
  kind: 'session' | 'token';
  id: string;
}

/** The result of authenticating a request. */
export interface Principal {
  user: UserRecord;
  credential: Credential;
}

export interface AuthServiceOptions {
  db: Database;
  clock: Clock;
  sessionTtlMs?: number;
  loginMaxFailures?: number;
  loginWindowMs?: number;
}

const TOKEN_PREFIX = 'stu_';
const DAY_MS = 24 * 60 * 60 * 1000;
/** Sliding expiry is refreshed at most this often, to keep reads from turning into writes. */
const SESSION_TOUCH_INTERVAL_MS = 5 * 60 * 1000;

const sha256 = (secret: string) => createHash('sha256').update(secret).digest('hex');

/** A stable key for a credential, used to find the sockets it opened. */
export const credentialKey = (credential: Credential) => `${credential.kind}:${credential.id}`;

/** The public shape of a user. */
export function toUserDto(user: UserRecord): User {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    isAdmin: user.isAdmin,
    createdAt: user.createdAt,
  };
}

function toTokenSummary(token: TokenRecord): TokenSummary {
  return {
    id: token.id,
    name: token.name,
    prefix: token.prefix,
    createdAt: token.createdAt,
    lastUsedAt: token.lastUsedAt,
  };
}

/**
 * Accounts, sessions and API tokens. Secrets (cookie values, tokens) exist only in the
 * response that hands them out; the database keeps their sha256.
 */
export class AuthService {
  readonly users: UsersRepo;
  private readonly sessions: SessionsRepo;
  private readonly tokens: TokensRepo;
  private readonly limiter: FailureRateLimiter;
  private readonly revokedListeners = new Set<(credential: Credential) => void>();
  private readonly sessionTtlMs: number;
  private dummyHash: Promise<string> | undefined;

  constructor(private readonly options: AuthServiceOptions) {
    this.users = new UsersRepo(options.db);
    this.sessions = new SessionsRepo(options.db);
    this.tokens = new TokensRepo(options.db);
    this.sessionTtlMs = options.sessionTtlMs ?? 30 * DAY_MS;
    this.limiter = new FailureRateLimiter({
      maxFailures: options.loginMaxFailures ?? 10,
      windowMs: options.loginWindowMs ?? 15 * 60 * 1000,
      clock: options.clock,
    });
  }

  /** Creates an account and its first session. The very first account becomes instance admin. */
  async signup(body: SignupBody): Promise<{ user: UserRecord; sessionSecret: string }> {
    const passwordHash = await hashPassword(body.password);
    const now = isoTime(this.options.clock.now());
    return this.options.db
      .transaction(() => {
        if (this.users.byEmail(body.email)) {
          throw new StudiosError(ErrorCode.EmailTaken, 'An account with this email already exists');
        }
        const user: UserRecord = {
          id: newId(),
          email: body.email,
          name: body.name,
          passwordHash,
          isAdmin: this.users.count() === 0,
          createdAt: now,
        };
        this.users.insert(user);
        return { user, sessionSecret: this.insertSession(user.id) };
      })
      .immediate();
  }

  /**
   * Checks credentials and opens a session. Unknown email and wrong password fail the same way,
   * in about the same time; repeated failures per email and IP are refused for a while.
   */
  async login(body: LoginBody, clientIp: string): Promise<{ user: UserRecord; sessionSecret: string }> {
    const limitKey = `${body.email}\n${clientIp}`;
    const decision = this.limiter.check(limitKey);
    if (!decision.allowed) {
      throw new StudiosError(ErrorCode.RateLimited, 'Too many failed sign-in attempts; try again later', {
        details: { retryAfterSeconds: decision.retryAfterSeconds },
      });
    }
    const user = this.users.byEmail(body.email);
    this.dummyHash ??= createDummyHash();
    const ok = await verifyPassword(body.password, user?.passwordHash ?? (await this.dummyHash));
    if (!user || !ok) {
      this.limiter.recordFailure(limitKey);
      throw new StudiosError(ErrorCode.InvalidCredentials, 'Email or password is incorrect');
    }
    this.limiter.reset(limitKey);
    return { user, sessionSecret: this.insertSession(user.id) };
  }

  /** Ends a session server-side and closes everything it opened. */
  logout(credential: Credential): void {
    if (credential.kind !== 'session') return;
    if (this.sessions.delete(credential.id)) this.notifyRevoked(credential);
  }

  /** The user behind a session cookie value, if the session exists and has not expired. */
  authenticateSession(secret: string): Principal | undefined {
    const session = this.sessions.byId(sha256(secret));
    if (!session) return undefined;
    const now = this.options.clock.now();
    if (session.expiresAt <= isoTime(now)) {
      this.sessions.delete(session.id);
      return undefined;
    }
    const user = this.users.byId(session.userId);
    if (!user) return undefined;
    if (now - Date.parse(session.lastSeenAt) > SESSION_TOUCH_INTERVAL_MS) {
      this.sessions.touch(session.id, isoTime(now), isoTime(now + this.sessionTtlMs));
    }
    return { user, credential: { kind: 'session', id: session.id } };
  }

  /** The user behind an API token, if it is well-formed and not revoked. */
  authenticateToken(token: string): Principal | undefined {
    if (!token.startsWith(TOKEN_PREFIX)) return undefined;
    const record = this.tokens.activeByHash(sha256(token));
    if (!record) return undefined;
    const user = this.users.byId(record.userId);
    if (!user) return undefined;
    this.tokens.markUsed(record.id, isoTime(this.options.clock.now()));
    return { user, credential: { kind: 'token', id: record.id } };
  }

  listTokens(userId: string): TokenSummary[] {
    return this.tokens.listActive(userId).map(toTokenSummary);
  }

  createToken(userId: string, name: string): TokenCreated {
    const token = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
    const record: TokenRecord = {
      id: newId(),
      userId,
      name,
      prefix: token.slice(0, TOKEN_PREFIX.length + 6),
      hash: sha256(token),
      createdAt: isoTime(this.options.clock.now()),
      lastUsedAt: null,
      revokedAt: null,
    };
    this.tokens.insert(record);
    return { ...toTokenSummary(record), token };
  }

  /** Revokes one of the user's tokens and closes its sockets; `not_found` when there is no such token. */
  revokeToken(userId: string, tokenId: string): void {
    if (!this.tokens.revoke(tokenId, userId, isoTime(this.options.clock.now()))) {
      throw errors.notFound('Token not found');
    }
    this.notifyRevoked({ kind: 'token', id: tokenId });
  }

  /** Subscribes to logouts and token revocations (the socket router closes their sockets). */
  onCredentialRevoked(listener: (credential: Credential) => void): Disposable {
    this.revokedListeners.add(listener);
    return { dispose: () => this.revokedListeners.delete(listener) };
  }

  private insertSession(userId: string): string {
    const secret = randomBytes(32).toString('base64url');
    const now = this.options.clock.now();
    this.sessions.insert({
      id: sha256(secret),
      userId,
      createdAt: isoTime(now),
      expiresAt: isoTime(now + this.sessionTtlMs),
      lastSeenAt: isoTime(now),
    });
    return secret;
  }

  private notifyRevoked(credential: Credential): void {
    for (const listener of [...this.revokedListeners]) listener(credential);
  }
}
