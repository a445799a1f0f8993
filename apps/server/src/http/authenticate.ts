import type { Role } from '@studios/protocol';
import type { Context } from 'hono';
import { parse as parseCookies } from 'hono/utils/cookie';
import type { StudioRecord } from '../db/studios-repo';
import type { UserRecord } from '../db/users-repo';
import { errors } from '../errors';
import type { AuthService, Principal } from '../services/auth-service';
import { roleAtLeast } from '../services/roles';
import type { AppEnv } from './app-env';

/** Name of the browser session cookie. */
export const SESSION_COOKIE = 'studios_session';

/**
 * Finds who is calling from the raw headers: `Authorization: Bearer stu_…` first, else the
 * session cookie. Used by the HTTP middleware and the WebSocket upgrade router alike.
 */
export function authenticateHeaders(
  auth: AuthService,
  headers: { authorization?: string | undefined; cookie?: string | undefined },
): Principal | undefined {
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(headers.authorization ?? '');
  if (bearer) return auth.authenticateToken(bearer[1] as string);
  if (headers.authorization) return undefined;
  const secret = headers.cookie ? parseCookies(headers.cookie, SESSION_COOKIE)[SESSION_COOKIE] : undefined;
  return secret ? auth.authenticateSession(secret) : undefined;
}

/** The signed-in user, or a 401. */
export function requireUser(c: Context<AppEnv>): UserRecord {
  const user = c.get('user');
  if (!user) throw errors.unauthorized();
  return user;
}

/**
 * The caller's access to a Studio, or the error every route gives: 401 signed out, 404 when
 * the Studio does not exist or the caller is not a member, 403 when their role is too low.
 */
export function requireStudioRole(
  c: Context<AppEnv>,
  studioId: string,
  minRole: Role,
): { user: UserRecord; studio: StudioRecord; role: Role } {
  const user = requireUser(c);
  const { access, studios } = c.get('services');
  const role = access.roleOf(user.id, studioId);
  const studio = role ? studios.get(studioId) : undefined;
  if (!role || !studio) throw errors.studioNotFound();
  if (!roleAtLeast(role, minRole)) throw errors.forbidden();
  return { user, studio, role };
}
