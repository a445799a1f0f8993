import { waitFor } from '@studios/testkit';
import { describe, expect, it } from 'vitest';
import { upgradeStatus } from '../testing';
import { rawHttp, UPGRADE_HEADERS } from '../testing/raw-http';
import {
  classifiedHttpRoutes,
  classifiedSocketRoutes,
  isStateChanging,
  sampleBody,
  sampleUrl,
  sendSample,
} from '../testing/route-policy';
import { useSecurityFixture } from '../testing/security-fixture';
import { stateFingerprint } from '../testing/state-fingerprint';

// The server answers to `studios.example` (the Host the default-port cases below send), as an
// operator would configure it; the Host check itself is tested in host.integration.test.ts.
const f = useSecurityFixture({ config: { allowedHosts: ['studios.example'] } });

/** Origins a cross-site page (or a sandboxed iframe) could make a browser send. */
const FOREIGN_ORIGINS = ['https://evil.example', 'null', 'http://127.0.0.1.evil.example', 'file://'];

/** Our own origin written with its scheme's default port, and the Host header a browser sends with it. */
const SAME_ORIGIN_DEFAULT_PORT = [
  { host: 'studios.example', origin: 'https://studios.example:443' },
  { host: 'studios.example', origin: 'http://studios.example:80' },
  { host: 'studios.example:443', origin: 'https://studios.example' },
];

describe('Origin checks on HTTP', () => {
  it('refuses every state-changing route from a foreign Origin with 403 bad_origin, even with a valid owner cookie', async () => {
    const before = await stateFingerprint(f);
    const failures: string[] = [];
    for (const route of classifiedHttpRoutes(f.t.server).filter((r) => isStateChanging(r.method))) {
      for (const origin of FOREIGN_ORIGINS) {
        const response = await sendSample(f, route, f.owner, { origin });
        const body = (await response.json().catch(() => undefined)) as { code?: string } | undefined;
        if (response.status !== 403 || body?.code !== 'bad_origin') {
          failures.push(`${route.key} from ${origin}: ${response.status} ${JSON.stringify(body)}`);
        }
      }
    }
    expect(failures).toEqual([]);
    expect(await stateFingerprint(f)).toBe(before);
  });

  it('accepts our own origin written with an explicit default port on every state-changing route', async () => {
    // A non-member passes the Origin check and then meets the usual 404, so nothing of the
    // Studio changes; logout runs last because it ends the session used here.
    const routes = classifiedHttpRoutes(f.t.server)
      .filter((route) => isStateChanging(route.method))
      .sort((a, b) => Number(a.key.endsWith('/logout')) - Number(b.key.endsWith('/logout')));
    const failures: string[] = [];
    for (const route of routes) {
      for (const { host, origin } of SAME_ORIGIN_DEFAULT_PORT) {
        const sample = route.policy.sample(f, f.stranger);
        const body = sampleBody(route, sample);
        const response = await rawHttp(f.t.url, {
          method: route.method,
          path: sampleUrl(sample),
          headers: {
            host,
            origin,
            cookie: f.stranger.cookie,
            ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          },
          ...(body !== undefined ? { body } : {}),
        });
        if (response.status === 403) failures.push(`${route.key} from ${origin}: ${response.body}`);
      }
    }
    expect(failures).toEqual([]);
  });
});

describe('Origin checks on sockets', () => {
  it('refuses every socket route from a foreign Origin with 403: no upgrade, no PTY, no attachment', async () => {
    const before = { terminals: f.terminals.service.stats(), processes: await f.processCount() };
    for (const route of classifiedSocketRoutes(f.t.server)) {
      for (const origin of FOREIGN_ORIGINS) {
        const status = await upgradeStatus(f.t.wsUrl(route.policy.sample(f)), {
          cookie: f.owner.cookie,
          origin,
        });
        expect(status, `${route.pattern} from ${origin}`).toBe(403);
      }
    }
    expect(f.t.server.sockets.openCount).toBe(0);
    expect({ terminals: f.terminals.service.stats(), processes: await f.processCount() }).toEqual(before);
  });

  it('accepts our own origin written with an explicit default port on every socket route', async () => {
    for (const route of classifiedSocketRoutes(f.t.server)) {
      for (const { host, origin } of SAME_ORIGIN_DEFAULT_PORT) {
        const response = await rawHttp(f.t.url, {
          path: route.policy.sample(f),
          headers: { ...UPGRADE_HEADERS, host, origin, cookie: f.viewer.cookie },
        });
        expect(response, `${route.pattern} from ${origin}`).toMatchObject({ upgraded: true, status: 101 });
      }
    }
    await waitFor(() => f.t.server.sockets.openCount === 0);
  });
});
