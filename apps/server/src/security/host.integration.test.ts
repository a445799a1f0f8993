import { waitFor } from '@studios/testkit';
import { describe, expect, it } from 'vitest';
import { rawHttp, UPGRADE_HEADERS } from '../testing/raw-http';
import { classifiedHttpRoutes, classifiedSocketRoutes, sampleBody, sampleUrl } from '../testing/route-policy';
import { useSecurityFixture } from '../testing/security-fixture';
import { stateFingerprint } from '../testing/state-fingerprint';

const PUBLIC_ORIGIN = 'https://studios.example.com';
const f = useSecurityFixture({ config: { publicOrigin: PUBLIC_ORIGIN } });

/**
 * DNS rebinding: a page on the attacker's name re-points that name at this server, so the
 * browser sends the attacker's name as Host and (being "same origin") as Origin too.
 */
const REBOUND = [
  { host: 'evil.example:8080', origin: 'http://evil.example:8080' },
  { host: 'evil.example', origin: 'http://evil.example' },
  { host: '127.0.0.1.nip.io:8080', origin: 'http://127.0.0.1.nip.io:8080' },
  { host: 'studios.example.com.evil.example', origin: 'https://studios.example.com.evil.example' },
];

/** Pages outside the API: the web app and its files are refused too, not only the API. */
const STATIC_PATHS = ['/', '/index.html', '/studios/abc', '/assets/app.js', '/api/no-such-route'];

const port = () => new URL(f.t.url).port;

function expectBadHost(response: { status: number; body: string }, what: string): void {
  expect(response.status, what).toBe(403);
  const body = JSON.parse(response.body) as { code: string; message: string };
  expect(body.code, what).toBe('bad_host');
  expect(body.message, what).toMatch(/STUDIOS_PUBLIC_ORIGIN/);
  expect(body.message, what).toMatch(/STUDIOS_ALLOWED_HOSTS/);
}

describe('Host check on HTTP', () => {
  it('refuses signup from a rebound name with 403 bad_host, and creates no account', async () => {
    const before = await stateFingerprint(f);
    const response = await rawHttp(f.t.url, {
      method: 'POST',
      path: '/api/auth/signup',
      headers: {
        host: 'evil.example:8080',
        origin: 'http://evil.example:8080',
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        email: 'rebound@example.com',
        name: 'Rebound',
        password: 'correct horse battery',
      }),
    });
    expectBadHost(response, 'signup');
    expect(await stateFingerprint(f)).toBe(before);
  });

  it('refuses every route and every page for every rebound name, even with an owner cookie', async () => {
    const before = await stateFingerprint(f);
    const failures: string[] = [];
    const requests = [
      ...classifiedHttpRoutes(f.t.server).map((route) => {
        const sample = route.policy.sample(f, f.owner);
        const body = sampleBody(route, sample);
        return { key: route.key, method: route.method, path: sampleUrl(sample), body };
      }),
      ...STATIC_PATHS.map((path) => ({ key: `GET ${path}`, method: 'GET', path, body: undefined })),
    ];
    for (const request of requests) {
      for (const { host, origin } of REBOUND) {
        const response = await rawHttp(f.t.url, {
          method: request.method,
          path: request.path,
          headers: {
            host,
            origin,
            cookie: f.owner.cookie,
            ...(request.body !== undefined ? { 'content-type': 'application/json' } : {}),
          },
          ...(request.body !== undefined ? { body: request.body } : {}),
        });
        try {
          expectBadHost(response, request.key);
        } catch {
          failures.push(`${request.key} as ${host}: ${response.status} ${response.body.slice(0, 120)}`);
        }
      }
    }
    expect(failures).toEqual([]);
    expect(await stateFingerprint(f)).toBe(before);
  });

  it('answers loopback names, IP literals and the public origin’s host', async () => {
    for (const host of [
      `localhost:${port()}`,
      `127.0.0.1:${port()}`,
      `[::1]:${port()}`,
      'studios.example.com',
    ]) {
      const me = await rawHttp(f.t.url, { path: '/api/me', headers: { host, cookie: f.owner.cookie } });
      expect(me.status, host).toBe(200);
      const page = await rawHttp(f.t.url, { path: '/', headers: { host } });
      expect(page.status, host).toBe(200);
    }
    // A browser on the public origin signs up: its Host and Origin are the public ones.
    const signup = await rawHttp(f.t.url, {
      method: 'POST',
      path: '/api/auth/signup',
      headers: { host: 'studios.example.com', origin: PUBLIC_ORIGIN, 'content-type': 'application/json' },
      body: JSON.stringify({
        email: `host-ok-${Date.now()}@example.com`,
        name: 'Ok',
        password: 'correct horse battery',
      }),
    });
    expect(signup.status).toBe(201);
  });
});

describe('Host check on sockets', () => {
  it('refuses every socket route for every rebound name with 403 bad_host: no upgrade, no PTY, no attachment', async () => {
    const before = { terminals: f.terminals.service.stats(), processes: await f.processCount() };
    for (const route of classifiedSocketRoutes(f.t.server)) {
      for (const { host, origin } of REBOUND) {
        const response = await rawHttp(f.t.url, {
          path: route.policy.sample(f),
          headers: { ...UPGRADE_HEADERS, host, origin, cookie: f.owner.cookie },
        });
        expect(response.upgraded, `${route.pattern} as ${host}`).toBe(false);
        expectBadHost(response, `${route.pattern} as ${host}`);
      }
    }
    expect(f.t.server.sockets.openCount).toBe(0);
    expect({ terminals: f.terminals.service.stats(), processes: await f.processCount() }).toEqual(before);
  });

  it('upgrades every socket route for loopback names, IP literals and the public origin’s host', async () => {
    const allowed: Array<Record<string, string>> = [
      { host: `localhost:${port()}` },
      { host: `127.0.0.1:${port()}` },
      { host: 'studios.example.com', origin: PUBLIC_ORIGIN },
    ];
    for (const route of classifiedSocketRoutes(f.t.server)) {
      for (const headers of allowed) {
        const response = await rawHttp(f.t.url, {
          path: route.policy.sample(f),
          headers: { ...UPGRADE_HEADERS, ...headers, cookie: f.viewer.cookie },
        });
        expect(response, `${route.pattern} as ${headers.host}`).toMatchObject({
          upgraded: true,
          status: 101,
        });
      }
    }
    await waitFor(() => f.t.server.sockets.openCount === 0);
  });
});
