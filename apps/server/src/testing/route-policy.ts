import type { Role } from '@studios/protocol';
import type { StudiosServer } from '../server';
import { authHeaders, type Caller, type SecurityFixture } from './security-fixture';
import { freshPublicKeyLine } from './ssh-public-key';
import type { Account } from './test-server';

/**
 * Who may call a route: anyone, any signed-in account, or members of the Studio in the path
 * with at least this role.
 */
export type RouteAccess = 'public' | 'account' | Role;

/** A well-formed request to a route; `query` is appended as given (already encoded). */
export interface RouteSample {
  path: string;
  query?: string;
  body?: unknown;
}

export interface HttpRoutePolicy {
  access: RouteAccess;
  /** `json`: validated JSON body; `raw`: bytes (uploads); `none`: no body. */
  body: 'none' | 'json' | 'raw';
  /** A valid request as `caller` would send it (targets someone other than the caller). */
  sample(f: SecurityFixture, caller: Account): RouteSample;
  /** Why a state-changing route is public, or open to viewers. */
  note?: string;
}

const studio = (f: SecurityFixture, rest = '') => `/api/studios/${f.studio.id}${rest}`;
/** A member other than the caller, so "remove member" never means "leave". */
const otherMember = (f: SecurityFixture, caller: Account) => (caller === f.editor ? f.viewer : f.editor);

/**
 * Every HTTP route of the server, keyed `METHOD /path` as Hono registers it. A route that is
 * added without a row here fails the inventory test, so it cannot go unchecked.
 */
export const HTTP_ROUTE_POLICY: Record<string, HttpRoutePolicy> = {
  'POST /api/auth/signup': {
    access: 'public',
    body: 'json',
    sample: () => ({
      path: '/api/auth/signup',
      body: {
        email: `probe-${Math.random().toString(36).slice(2)}@example.com`,
        name: 'Probe',
        password: 'correct horse battery',
      },
    }),
  },
  'POST /api/auth/login': {
    access: 'public',
    body: 'json',
    sample: (f) => ({
      path: '/api/auth/login',
      body: { email: f.stranger.email, password: f.stranger.password },
    }),
  },
  'POST /api/auth/logout': {
    access: 'public',
    body: 'none',
    sample: () => ({ path: '/api/auth/logout' }),
    note: 'Signing out without a session only clears the (absent) cookie',
  },
  'GET /api/me': { access: 'account', body: 'none', sample: () => ({ path: '/api/me' }) },
  'GET /api/tokens': { access: 'account', body: 'none', sample: () => ({ path: '/api/tokens' }) },
  'POST /api/tokens': {
    access: 'account',
    body: 'json',
    sample: () => ({ path: '/api/tokens', body: { name: 'probe' } }),
  },
  'DELETE /api/tokens/:id': {
    access: 'account',
    body: 'none',
    sample: (f) => ({ path: `/api/tokens/${f.ownerToken.id}` }),
  },
  'GET /api/ssh': { access: 'account', body: 'none', sample: () => ({ path: '/api/ssh' }) },
  'GET /api/ssh-keys': { access: 'account', body: 'none', sample: () => ({ path: '/api/ssh-keys' }) },
  'POST /api/ssh-keys': {
    access: 'account',
    body: 'json',
    sample: () => ({ path: '/api/ssh-keys', body: { name: 'probe', publicKey: freshPublicKeyLine() } }),
  },
  'DELETE /api/ssh-keys/:keyId': {
    access: 'account',
    body: 'none',
    // The owner's key: anyone else deleting it must get 404 and change nothing.
    sample: (f) => ({ path: `/api/ssh-keys/${f.ownerSshKey.id}` }),
  },
  'GET /api/machine-types': {
    access: 'account',
    body: 'none',
    sample: () => ({ path: '/api/machine-types' }),
  },
  'GET /api/studios': { access: 'account', body: 'none', sample: () => ({ path: '/api/studios' }) },
  'POST /api/studios': {
    access: 'account',
    body: 'json',
    sample: () => ({ path: '/api/studios', body: { name: 'Probe' } }),
  },
  'GET /api/studios/:id': { access: 'viewer', body: 'none', sample: (f) => ({ path: studio(f) }) },
  'PATCH /api/studios/:id': {
    access: 'owner',
    body: 'json',
    sample: (f) => ({ path: studio(f), body: { name: 'Renamed' } }),
  },
  'DELETE /api/studios/:id': { access: 'owner', body: 'none', sample: (f) => ({ path: studio(f) }) },
  'GET /api/studios/:id/members': {
    access: 'viewer',
    body: 'none',
    sample: (f) => ({ path: studio(f, '/members') }),
  },
  'POST /api/studios/:id/members': {
    access: 'owner',
    body: 'json',
    sample: (f) => ({ path: studio(f, '/members'), body: { email: f.stranger.email, role: 'editor' } }),
  },
  'PATCH /api/studios/:id/members/:userId': {
    access: 'owner',
    body: 'json',
    sample: (f, caller) => ({
      path: studio(f, `/members/${otherMember(f, caller).user.id}`),
      body: { role: 'owner' },
    }),
  },
  'DELETE /api/studios/:id/members/:userId': {
    access: 'owner',
    body: 'none',
    sample: (f, caller) => ({ path: studio(f, `/members/${otherMember(f, caller).user.id}`) }),
    note: 'Any member may remove themselves (leave); the sample always targets someone else',
  },
  'GET /api/studios/:id/files': {
    access: 'viewer',
    body: 'none',
    sample: (f) => ({ path: studio(f, '/files') }),
  },
  'POST /api/studios/:id/files': {
    access: 'editor',
    body: 'json',
    sample: (f) => ({ path: studio(f, '/files'), body: { path: 'probe.txt', kind: 'file' } }),
  },
  'POST /api/studios/:id/files/move': {
    access: 'editor',
    body: 'json',
    sample: (f) => ({ path: studio(f, '/files/move'), body: { from: 'readme.md', to: 'moved.md' } }),
  },
  'DELETE /api/studios/:id/files': {
    access: 'editor',
    body: 'none',
    sample: (f) => ({ path: studio(f, '/files'), query: 'path=readme.md' }),
  },
  'GET /api/studios/:id/files/content': {
    access: 'viewer',
    body: 'none',
    sample: (f) => ({ path: studio(f, '/files/content'), query: 'path=readme.md' }),
  },
  'PUT /api/studios/:id/files/content': {
    access: 'editor',
    body: 'raw',
    sample: (f) => ({ path: studio(f, '/files/content'), query: 'path=probe.bin', body: 'bytes' }),
  },
  'GET /api/studios/:id/terminals': {
    access: 'viewer',
    body: 'none',
    sample: (f) => ({ path: studio(f, '/terminals') }),
  },
  'POST /api/studios/:id/terminals': {
    access: 'editor',
    body: 'json',
    sample: (f) => ({ path: studio(f, '/terminals'), body: { name: 'probe', cols: 80, rows: 24 } }),
  },
  'PATCH /api/studios/:id/terminals/:tid': {
    access: 'editor',
    body: 'json',
    sample: (f) => ({ path: studio(f, `/terminals/${f.terminalId}`), body: { name: 'renamed' } }),
  },
  'DELETE /api/studios/:id/terminals/:tid': {
    access: 'editor',
    body: 'none',
    sample: (f) => ({ path: studio(f, `/terminals/${f.terminalId}`) }),
  },
  'GET /api/studios/:id/ssh': {
    access: 'editor',
    body: 'none',
    sample: (f) => ({ path: studio(f, '/ssh') }),
    note: 'Viewers cannot log in over SSH, so they are not given the connection details either',
  },
  'GET /api/studios/:id/ssh/sessions': {
    access: 'viewer',
    body: 'none',
    sample: (f) => ({ path: studio(f, '/ssh/sessions') }),
  },
  'GET /api/studios/:id/kernelspecs': {
    access: 'viewer',
    body: 'none',
    sample: (f) => ({ path: studio(f, '/kernelspecs') }),
  },
  'POST /api/studios/:id/notebooks/run': {
    access: 'editor',
    body: 'json',
    sample: (f) => ({ path: studio(f, '/notebooks/run'), body: { path: 'probe.ipynb', cellIds: ['probe'] } }),
  },
  'POST /api/studios/:id/notebooks/kernel': {
    access: 'editor',
    body: 'json',
    sample: (f) => ({
      path: studio(f, '/notebooks/kernel'),
      body: { path: 'probe.ipynb', action: 'interrupt' },
    }),
  },
  'POST /api/studios/:id/notebooks/input': {
    access: 'editor',
    body: 'json',
    sample: (f) => ({
      path: studio(f, '/notebooks/input'),
      body: { path: 'probe.ipynb', cellId: 'probe', runId: 'probe', value: 'x' },
    }),
  },
  'POST /api/studios/:id/notebooks/clear-outputs': {
    access: 'editor',
    body: 'json',
    sample: (f) => ({
      path: studio(f, '/notebooks/clear-outputs'),
      body: { path: 'probe.ipynb', cellIds: ['probe'] },
    }),
  },
  'POST /api/studios/:id/start': {
    access: 'viewer',
    body: 'none',
    sample: (f) => ({ path: studio(f, '/start') }),
    note: 'Opening a sleeping Studio wakes it, whoever opens it',
  },
  'POST /api/studios/:id/stop': {
    access: 'editor',
    body: 'none',
    sample: (f) => ({ path: studio(f, '/stop') }),
  },
  'POST /api/studios/:id/machine': {
    access: 'owner',
    body: 'json',
    sample: (f) => ({ path: studio(f, '/machine'), body: { machineType: 'cpu-large' } }),
  },
  'GET /api/health': { access: 'public', body: 'none', sample: () => ({ path: '/api/health' }) },
  'GET /api/openapi.json': { access: 'public', body: 'none', sample: () => ({ path: '/api/openapi.json' }) },
};

export interface SocketRoutePolicy {
  access: Role;
  sample(f: SecurityFixture): string;
}

/** Every socket route, keyed by its pattern; unlisted routes fail the inventory test. */
export const SOCKET_ROUTE_POLICY: Record<string, SocketRoutePolicy> = {
  '/api/studios/:studioId/events': { access: 'viewer', sample: (f) => studio(f, '/events') },
  '/api/studios/:studioId/collab/:doc': { access: 'viewer', sample: (f) => studio(f, '/collab/readme.md') },
  '/api/studios/:studioId/terminals/:terminalId': {
    access: 'viewer',
    sample: (f) => studio(f, `/terminals/${f.terminalId}`),
  },
};

/** A classified HTTP route. */
export interface HttpRoute {
  key: string;
  method: string;
  pattern: string;
  policy: HttpRoutePolicy;
}

/** `METHOD /path` of every route the running app serves (middleware and the web fallback excluded). */
export function liveHttpRouteKeys(server: StudiosServer): string[] {
  const keys = server.app.routes
    .filter((route) => route.method !== 'ALL')
    .map((route) => `${route.method} ${route.path}`);
  return [...new Set(keys)].sort();
}

/** The live routes with their policy; throws on a route nobody classified. */
export function classifiedHttpRoutes(server: StudiosServer): HttpRoute[] {
  return liveHttpRouteKeys(server).map((key) => {
    const policy = HTTP_ROUTE_POLICY[key];
    if (!policy) throw new Error(`HTTP route ${key} is not classified in HTTP_ROUTE_POLICY`);
    const [method, pattern] = key.split(' ') as [string, string];
    return { key, method, pattern, policy };
  });
}

/** The live socket routes with their policy; throws on a route nobody classified. */
export function classifiedSocketRoutes(
  server: StudiosServer,
): Array<{ pattern: string; minRole: Role; policy: SocketRoutePolicy }> {
  return server.sockets.mountedRoutes.map(({ pattern, minRole }) => {
    const policy = SOCKET_ROUTE_POLICY[pattern];
    if (!policy) throw new Error(`Socket route ${pattern} is not classified in SOCKET_ROUTE_POLICY`);
    return { pattern, minRole, policy };
  });
}

/** Methods that change state (and so need an allowed Origin). */
export const isStateChanging = (method: string) => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(method);

/** The URL path (with query) of a sample. */
export const sampleUrl = (sample: RouteSample) =>
  sample.query ? `${sample.path}?${sample.query}` : sample.path;

/** The request body of a sample as sent on the wire. */
export function sampleBody(route: HttpRoute, sample: RouteSample): string | undefined {
  if (route.policy.body === 'none') return undefined;
  return route.policy.body === 'raw' ? String(sample.body) : JSON.stringify(sample.body);
}

export interface SendOptions {
  /** Origin header; our own origin by default, `null` to send none. */
  origin?: string | null;
  /** Use this Studio id instead of the fixture's (e.g. one that does not exist). */
  studioId?: string;
  headers?: Record<string, string>;
}

/** Sends a route's sample request as `caller` (an account, a token, or nobody). */
export function sendSample(
  f: SecurityFixture,
  route: HttpRoute,
  caller: Caller,
  options: SendOptions = {},
): Promise<Response> {
  const sample = route.policy.sample(f, caller && 'cookie' in caller ? caller : f.owner);
  let url = sampleUrl(sample);
  if (options.studioId) url = url.replace(f.studio.id, options.studioId);
  const body = sampleBody(route, sample);
  const headers: Record<string, string> = { ...authHeaders(caller), ...options.headers };
  const origin = options.origin === undefined ? f.t.origin : options.origin;
  if (origin !== null) headers.origin = origin;
  if (body !== undefined) {
    headers['content-type'] = route.policy.body === 'raw' ? 'application/octet-stream' : 'application/json';
  }
  return f.t.request(url, { method: route.method, headers, ...(body !== undefined ? { body } : {}) });
}
