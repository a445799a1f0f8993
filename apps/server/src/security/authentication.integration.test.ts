import { describe, expect, it } from 'vitest';
import { upgradeStatus } from '../testing';
import {
  classifiedHttpRoutes,
  classifiedSocketRoutes,
  HTTP_ROUTE_POLICY,
  liveHttpRouteKeys,
  SOCKET_ROUTE_POLICY,
  sendSample,
} from '../testing/route-policy';
import { authHeaders, type Caller, useSecurityFixture } from '../testing/security-fixture';
import { stateFingerprint } from '../testing/state-fingerprint';

const f = useSecurityFixture();

describe('route inventory', () => {
  it('classifies every live HTTP route, with no stale rows', () => {
    expect(() => classifiedHttpRoutes(f.t.server)).not.toThrow();
    expect(Object.keys(HTTP_ROUTE_POLICY).sort()).toEqual(liveHttpRouteKeys(f.t.server));
  });

  it('classifies every socket route with the minimum role the router enforces', () => {
    const routes = classifiedSocketRoutes(f.t.server);
    expect(routes.map((route) => route.pattern).sort()).toEqual(Object.keys(SOCKET_ROUTE_POLICY).sort());
    for (const route of routes) expect(route.policy.access, route.pattern).toBe(route.minRole);
  });

  it('agrees with the OpenAPI document: documented routes are live, auth and bodies match', async () => {
    const document = (await (await f.t.request('/api/openapi.json')).json()) as {
      paths: Record<string, Record<string, { security?: unknown[]; requestBody?: unknown }>>;
    };
    const live = new Set(liveHttpRouteKeys(f.t.server));
    for (const [path, operations] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        const key = `${method.toUpperCase()} ${path.replace(/\{([^}]+)\}/g, ':$1')}`;
        expect(live.has(key), `${key} is documented but not served`).toBe(true);
        const policy = HTTP_ROUTE_POLICY[key];
        expect(policy?.access === 'public', `${key}: documented security vs policy`).toBe(
          Array.isArray(operation.security) && operation.security.length === 0,
        );
        expect(policy?.body === 'json', `${key}: documented body vs policy`).toBe(
          operation.requestBody !== undefined,
        );
      }
    }
  });
});

describe('authentication', () => {
  const callers = (): Array<[string, Caller]> => [
    ['no credentials', undefined],
    ['an unknown bearer token', { token: `stu_${'x'.repeat(40)}` }],
    ['a revoked bearer token', { token: f.revokedToken }],
    ['a malformed Authorization header beside a valid cookie', undefined],
  ];

  it('answers every non-public /api route with 401 unauthorized and changes nothing', async () => {
    const before = await stateFingerprint(f);
    const failures: string[] = [];
    for (const route of classifiedHttpRoutes(f.t.server)) {
      if (route.policy.access === 'public') continue;
      for (const [label, caller] of callers()) {
        // A broken Authorization header must not fall back to the cookie next to it.
        const headers = label.startsWith('a malformed')
          ? { authorization: 'Bearer', cookie: f.owner.cookie }
          : undefined;
        const response = await sendSample(f, route, caller, headers ? { headers } : {});
        const body = (await response.json().catch(() => undefined)) as { code?: string } | undefined;
        if (response.status !== 401 || body?.code !== 'unauthorized') {
          failures.push(`${route.key} with ${label}: ${response.status} ${JSON.stringify(body)}`);
        }
      }
    }
    expect(failures).toEqual([]);
    expect(await stateFingerprint(f)).toBe(before);
  });

  it('answers 401 before reading the body: an anonymous request with a bad body is not validated', async () => {
    const failures: string[] = [];
    for (const route of classifiedHttpRoutes(f.t.server)) {
      if (route.policy.access === 'public' || route.policy.body !== 'json') continue;
      const response = await f.t.request(route.policy.sample(f, f.owner).path, {
        method: route.method,
        headers: { 'content-type': 'application/json', origin: f.t.origin },
        body: '{"not": "valid"',
      });
      if (response.status !== 401) failures.push(`${route.key}: ${response.status} ${await response.text()}`);
    }
    expect(failures).toEqual([]);
  });

  it('refuses every socket route without valid credentials with 401, before any upgrade', async () => {
    const before = await stateFingerprint(f);
    for (const route of classifiedSocketRoutes(f.t.server)) {
      const url = f.t.wsUrl(route.policy.sample(f));
      for (const [label, caller] of callers()) {
        const headers = label.startsWith('a malformed')
          ? { authorization: 'Bearer', cookie: f.owner.cookie }
          : authHeaders(caller);
        expect(
          await upgradeStatus(url, { ...headers, origin: f.t.origin }),
          `${route.pattern} with ${label}`,
        ).toBe(401);
      }
      // A token in the query string is not a credential (it would end up in logs and history).
      expect(await upgradeStatus(`${url}?token=${f.ownerToken.token}`, { origin: f.t.origin })).toBe(401);
    }
    expect(f.t.server.sockets.openCount).toBe(0);
    expect(await stateFingerprint(f)).toBe(before);
  });

  it('still accepts the valid credentials the refusals above were compared with', async () => {
    for (const caller of [f.owner, { token: f.ownerToken.token }]) {
      expect((await f.call('GET', `/api/studios/${f.studio.id}`, caller)).status).toBe(200);
    }
  });
});
