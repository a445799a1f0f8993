import { LoginBody, SignupBody, TokenCreateBody, TokenCreated, TokenSummary, User } from '@studios/protocol';
import type { Context } from 'hono';
import { deleteCookie, setCookie } from 'hono/cookie';
import { z } from 'zod';
import { toUserDto } from '../../services/auth-service';
import type { AppEnv } from '../app-env';
import { requireUser, SESSION_COOKIE } from '../authenticate';
import { defineRoute } from '../route-table';

const SESSION_COOKIE_MAX_AGE_S = 30 * 24 * 60 * 60;

const isHttps = (c: Context<AppEnv>) => new URL(c.req.url).protocol === 'https:';

function setSessionCookie(c: Context<AppEnv>, secret: string): void {
  setCookie(c, SESSION_COOKIE, secret, {
    httpOnly: true,
    sameSite: 'Lax',
    path: '/',
    secure: isHttps(c),
    maxAge: SESSION_COOKIE_MAX_AGE_S,
  });
}

/** The peer address; no proxy header is trusted (a forwarded-for setting can come later). */
const clientIp = (c: Context<AppEnv>) => c.env?.incoming?.socket.remoteAddress ?? 'unknown';

/** Sign-up, sign-in, sign-out and API tokens. */
export const authRoutes = [
  defineRoute({
    method: 'post',
    path: '/auth/signup',
    tag: 'auth',
    summary: 'Create an account and sign in (the first account becomes instance admin)',
    auth: false,
    body: SignupBody,
    response: User,
    status: 201,
    handler: async (c, body) => {
      const { user, sessionSecret } = await c.get('services').auth.signup(body);
      setSessionCookie(c, sessionSecret);
      return toUserDto(user);
    },
  }),
  defineRoute({
    method: 'post',
    path: '/auth/login',
    tag: 'auth',
    summary: 'Sign in with email and password',
    auth: false,
    body: LoginBody,
    response: User,
    handler: async (c, body) => {
      const { user, sessionSecret } = await c.get('services').auth.login(body, clientIp(c));
      setSessionCookie(c, sessionSecret);
      return toUserDto(user);
    },
  }),
  defineRoute({
    method: 'post',
    path: '/auth/logout',
    tag: 'auth',
    summary: 'End the current session',
    auth: false,
    handler: (c) => {
      const credential = c.get('credential');
      if (credential) c.get('services').auth.logout(credential);
      deleteCookie(c, SESSION_COOKIE, { path: '/', secure: isHttps(c) });
    },
  }),
  defineRoute({
    method: 'get',
    path: '/me',
    tag: 'auth',
    summary: 'The signed-in user',
    response: User,
    handler: (c) => toUserDto(requireUser(c)),
  }),
  defineRoute({
    method: 'get',
    path: '/tokens',
    tag: 'tokens',
    summary: "The caller's API tokens (never the secrets)",
    response: z.array(TokenSummary),
    handler: (c) => c.get('services').auth.listTokens(requireUser(c).id),
  }),
  defineRoute({
    method: 'post',
    path: '/tokens',
    tag: 'tokens',
    summary: 'Create an API token; the token is shown only in this response',
    body: TokenCreateBody,
    response: TokenCreated,
    status: 201,
    handler: (c, body) => c.get('services').auth.createToken(requireUser(c).id, body.name),
  }),
  defineRoute({
    method: 'delete',
    path: '/tokens/:id',
    tag: 'tokens',
    summary: 'Revoke an API token; its open sockets close',
    handler: (c) => c.get('services').auth.revokeToken(requireUser(c).id, c.req.param('id') as string),
  }),
];
