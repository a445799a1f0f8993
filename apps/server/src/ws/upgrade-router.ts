import { type IncomingMessage, STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Disposable, Logger } from '@studios/base';
import { CloseCode, ErrorCode, isStudiosError, type Role, StudiosError } from '@studios/protocol';
import { type WebSocket, WebSocketServer } from 'ws';
import type { Config } from '../config';
import type { SocketHandle, SocketRoute } from '../features/feature';
import { authenticateHeaders } from '../http/authenticate';
import { HTTP_STATUS } from '../http/error-status';
import { badHostError, isAllowedHost } from '../http/host-guard';
import { isAllowedOrigin } from '../http/origin-guard';
import { describeError } from '../logger';
import { compilePathPattern, type PathMatcher } from '../path-pattern';
import type { AccessControl } from '../services/access-control';
import { type AuthService, credentialKey, type Principal } from '../services/auth-service';
import { roleAtLeast } from '../services/roles';
import type { StudiosService } from '../services/studios-service';
import { closeFor } from './error-close-codes';

export interface UpgradeRouterOptions {
  config: Pick<Config, 'publicOrigin' | 'allowedHosts'>;
  auth: AuthService;
  access: AccessControl;
  studios: StudiosService;
  log: Logger;
  /** Upgrade requests with more headers than this are refused (header-flood defence). */
  maxHeaderCount?: number;
  maxHeaderBytes?: number;
}

interface MountedRoute {
  route: SocketRoute;
  match: PathMatcher;
  server: WebSocketServer;
}

/** A request that passed every check. */
interface Admission {
  mounted: MountedRoute;
  params: Record<string, string>;
  principal: Principal;
  studioId: string;
}

interface OpenSocket {
  ws: WebSocket;
  studioId: string;
  credential: string;
  handle: SocketHandle | undefined;
  watch: Disposable;
}

/** The message users see when a socket closes because their access changed. */
export const ACCESS_REMOVED_REASON = 'Your access to this Studio was removed';

/** An upgrade refused before the handshake: an HTTP status and the API's `{ code, message }`. */
interface Refusal {
  status: number;
  code: ErrorCode;
  message: string;
}

/** A refusal with its status from the API's one table. */
function refuse(code: ErrorCode, message: string): Refusal {
  return { status: HTTP_STATUS[code], code, message };
}

/** Answers an upgrade request with an HTTP error in the API's JSON shape and drops the connection. */
function reject(socket: Duplex, { status, code, message }: Refusal): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const body = JSON.stringify({ code, message });
  socket.once('finish', () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\nConnection: close\r\n` +
      `Content-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

/**
 * The single `upgrade` listener: checks the Host, matches the path to a socket route, checks
 * Origin, credentials, Studio visibility and role, then hands the socket to the route. Afterwards it keeps every
 * socket in step with access changes: closes it on removal, logout, revocation or deletion.
 */
export class UpgradeRouter {
  private readonly routes: MountedRoute[] = [];
  private readonly open = new Set<OpenSocket>();
  private readonly revokedSubscription: Disposable;

  constructor(private readonly options: UpgradeRouterOptions) {
    this.revokedSubscription = options.auth.onCredentialRevoked((credential) => {
      const key = credentialKey(credential);
      for (const entry of [...this.open]) {
        if (entry.credential === key)
          entry.ws.close(CloseCode.Unauthorized, 'Your session ended; sign in again');
      }
    });
  }

  add(route: SocketRoute): void {
    if (!route.pattern.includes(':studioId'))
      throw new Error(`Socket route ${route.pattern} needs :studioId`);
    const server = new WebSocketServer({ noServer: true, maxPayload: route.maxPayload });
    this.routes.push({ route, match: compilePathPattern(route.pattern), server });
  }

  /** Pattern and minimum role of every mounted route, so security tests cover new routes. */
  get mountedRoutes(): Array<Pick<SocketRoute, 'pattern' | 'minRole'>> {
    return this.routes.map(({ route }) => ({ pattern: route.pattern, minRole: route.minRole }));
  }

  /** Sockets currently open, for leak checks in tests. */
  get openCount(): number {
    return this.open.size;
  }

  /** The `http.Server` 'upgrade' listener. */
  readonly handleUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    socket.on('error', (error) => this.options.log.debug('upgrade socket error', describeError(error)));
    try {
      const admission = this.admit(request);
      if ('status' in admission) reject(socket, admission);
      else this.accept(admission, request, socket, head);
    } catch (error) {
      this.options.log.error('upgrade failed', describeError(error));
      reject(socket, { status: 500, code: ErrorCode.Internal, message: 'Internal error' });
    }
  };

  /** Every check that must pass before the handshake, in the order that leaks the least. */
  private admit(request: IncomingMessage): Admission | Refusal {
    const maxCount = this.options.maxHeaderCount ?? 100;
    const maxBytes = this.options.maxHeaderBytes ?? 16 * 1024;
    const headerBytes = request.rawHeaders.reduce((sum, part) => sum + part.length + 2, 0);
    // 431 has no error code of its own: the request is refused before it is read as an API request.
    if (request.rawHeaders.length / 2 > maxCount || headerBytes > maxBytes) {
      return { status: 431, code: ErrorCode.InvalidRequest, message: 'Request headers too large' };
    }
    // Before the path is even matched: a rebound name learns nothing, not even which routes exist.
    if (!isAllowedHost(request.headers.host, this.options.config)) {
      const { code, message } = badHostError(request.headers.host);
      return refuse(code, message);
    }
    if (request.headers.upgrade?.toLowerCase() !== 'websocket') {
      return refuse(ErrorCode.InvalidRequest, 'Expected a WebSocket');
    }
    const pathname = new URL(request.url ?? '/', 'http://localhost').pathname;
    for (const mounted of this.routes) {
      const params = mounted.match(pathname);
      if (!params) continue;
      if (!isAllowedOrigin(request.headers.origin, request.headers.host, this.options.config)) {
        return refuse(ErrorCode.BadOrigin, 'Connections from another site are not allowed');
      }
      const principal = authenticateHeaders(this.options.auth, {
        authorization: request.headers.authorization,
        cookie: request.headers.cookie,
      });
      if (!principal) return refuse(ErrorCode.Unauthorized, 'Sign in to continue');
      const studioId = params.studioId as string;
      const role = this.options.access.roleOf(principal.user.id, studioId);
      if (!role || !this.options.studios.get(studioId)) return refuse(ErrorCode.NotFound, 'Studio not found');
      if (!roleAtLeast(role, mounted.route.minRole))
        return refuse(ErrorCode.Forbidden, 'Your role does not allow this');
      try {
        mounted.route.admit?.({ user: principal.user, studioId });
      } catch (error) {
        if (isStudiosError(error)) return refuse(error.code, error.message);
        throw error;
      }
      return { mounted, params, principal, studioId };
    }
    return refuse(ErrorCode.NotFound, 'Not found');
  }

  /** Completes the handshake, registers the socket for access changes, and hands it to the route. */
  private accept(admission: Admission, request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const { mounted, params, principal, studioId } = admission;
    const { route, server } = mounted;
    server.handleUpgrade(request, socket, head, (ws) => {
      // Protocol errors (e.g. a frame above maxPayload) close the socket with the right code;
      // without a listener they would be thrown as uncaught exceptions and stop the server.
      ws.on('error', (error) =>
        this.options.log.debug('socket error', { route: route.pattern, ...describeError(error) }),
      );
      const entry: OpenSocket = {
        ws,
        studioId,
        credential: credentialKey(principal.credential),
        handle: undefined,
        watch: this.options.access.watch(studioId, principal.user.id, (next) =>
          this.onRoleChanged(entry, route.minRole, next),
        ),
      };
      this.open.add(entry);
      ws.once('close', () => {
        entry.watch.dispose();
        this.open.delete(entry);
      });
      // Access may have changed between the checks and now.
      const role = this.options.access.roleOf(principal.user.id, studioId);
      if (!role || !roleAtLeast(role, route.minRole)) {
        this.onRoleChanged(entry, route.minRole, role);
        return;
      }
      const { id, name, email } = principal.user;
      try {
        entry.handle =
          route.handle(ws, { studioId, params, user: { id, name, email }, role, request }) ?? undefined;
      } catch (error) {
        // The socket edge of every StudiosError (see error-close-codes.ts); anything else is a bug.
        const { code, reason } =
          error instanceof StudiosError
            ? closeFor(error)
            : { code: CloseCode.InternalError, reason: 'Internal error' };
        if (code === CloseCode.InternalError) {
          this.options.log.error('socket handler failed', { route: route.pattern, ...describeError(error) });
        }
        ws.close(code, reason);
      }
    });
  }

  private onRoleChanged(entry: OpenSocket, minRole: Role, role: Role | null): void {
    if (role && roleAtLeast(role, minRole)) {
      entry.handle?.onRoleChange?.(role);
      return;
    }
    if (!this.options.studios.get(entry.studioId)) {
      entry.ws.close(CloseCode.Gone, 'This Studio was deleted');
      return;
    }
    entry.ws.close(CloseCode.Forbidden, ACCESS_REMOVED_REASON);
  }

  /** Closes every open socket, e.g. with 4503 on shutdown. */
  closeAll(code: number, reason: string): void {
    for (const entry of [...this.open]) entry.ws.close(code, reason);
  }

  /** Closes every socket and stops listening for access changes. */
  dispose(): void {
    this.revokedSubscription.dispose();
    for (const entry of [...this.open]) {
      entry.watch.dispose();
      entry.ws.terminate();
    }
    this.open.clear();
    for (const { server } of this.routes) server.close();
  }
}
