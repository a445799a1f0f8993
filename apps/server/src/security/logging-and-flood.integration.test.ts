import type { TokenCreated } from '@studios/protocol';
import { waitFor } from '@studios/testkit';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppEnv } from '../http/app-env';
import { captureLogger, connectSocket, upgradeStatus } from '../testing';
import { rawHttp, UPGRADE_HEADERS } from '../testing/raw-http';
import { type SecurityFixture, startSecurityFixture } from '../testing/security-fixture';

const captured = captureLogger();
let f: SecurityFixture;
let token: TokenCreated;

/** A route that fails the way a bug would, to see what the 500 path logs. */
const failing = new Hono<AppEnv>();
failing.get('/explode', () => {
  throw new Error('simulated failure');
});

beforeAll(async () => {
  f = await startSecurityFixture({
    log: captured.log,
    config: { maxBodyBytes: 4096 },
    extraFeatures: [{ name: 'failing', routes: failing }],
  });
  token = (await (
    await f.call('POST', '/api/tokens', f.owner, { name: 'log-probe' })
  ).json()) as TokenCreated;
});
afterAll(async () => {
  await f.close();
});

describe('logs', () => {
  it('never contain tokens, cookies or passwords, on 2xx, 4xx, 5xx and socket upgrades', async () => {
    const cookieSecret = f.owner.cookie.split('=')[1] as string;
    const secrets = [
      cookieSecret,
      token.token,
      token.token.replace(/^stu_/, ''),
      f.revokedToken,
      f.owner.password,
    ];
    const leakyQuery = `?token=${token.token}&session=${cookieSecret}`;
    const studio = `/api/studios/${f.studio.id}`;
    const bearer = { authorization: `Bearer ${token.token}` };
    const statuses: number[] = [];
    const record = async (response: Promise<Response>) => {
      const answered = await response;
      statuses.push(answered.status);
      await answered.arrayBuffer();
    };

    await record(f.call('GET', `/api/me${leakyQuery}`, { token: token.token }));
    await record(f.call('GET', `${studio}${leakyQuery}`, f.owner));
    await record(f.call('GET', `/api/me${leakyQuery}`, { token: f.revokedToken }));
    await record(
      f.call('POST', `/api/studios${leakyQuery}`, f.owner, { name: 'x' }, { origin: 'https://evil.example' }),
    );
    await record(f.call('GET', `/api/studios/${f.missingStudioId}${leakyQuery}`, { token: token.token }));
    await record(
      f.t.request(`/api/tokens${leakyQuery}`, {
        method: 'POST',
        headers: { cookie: f.owner.cookie, 'content-type': 'application/json' },
        body: `{"name": "${token.token}"`,
      }),
    );
    await record(f.call('POST', `/api/tokens${leakyQuery}`, f.owner, { name: 'x'.repeat(5000) }));
    await record(f.call('GET', `/api/explode${leakyQuery}`, f.owner, undefined, bearer));
    await record(
      f.call('POST', '/api/auth/login', undefined, {
        email: f.owner.email,
        password: `${f.owner.password}!`,
      }),
    );
    await record(
      f.call('POST', '/api/auth/login', undefined, { email: f.owner.email, password: f.owner.password }),
    );
    expect(statuses).toEqual([200, 200, 401, 403, 404, 400, 413, 500, 401, 200]);

    const events = `${studio}/events`;
    expect(
      await upgradeStatus(f.t.wsUrl(`${events}${leakyQuery}`), { authorization: `Bearer ${f.revokedToken}` }),
    ).toBe(401);
    expect(
      await upgradeStatus(f.t.wsUrl(`${events}${leakyQuery}`), {
        cookie: f.owner.cookie,
        origin: 'https://evil.example',
      }),
    ).toBe(403);
    const socket = await connectSocket(f.t.wsUrl(`${events}${leakyQuery}`), bearer);
    socket.ws.send('x'.repeat(8 * 1024)); // above the events socket's frame limit: a logged protocol error
    await waitFor(() => socket.closeEvent);

    const output = captured.lines.join('\n');
    expect(output).toContain('simulated failure'); // the 5xx path was logged (and is checked below)
    expect(output).toContain('/api/explode');
    for (const secret of secrets) expect(output).not.toContain(secret);
    expect(output).not.toMatch(/token=|session=|authorization|cookie/i);
  });
});

describe('header floods', () => {
  /** 2,000 headers: distinct and wide (over the byte limit), or one tiny name repeated (under it). */
  const FLOODS: Array<[string, Array<[string, string]>]> = [
    [
      'distinct headers',
      Array.from({ length: 2000 }, (_, i): [string, string] => [`x-flood-${i}`, 'a'.repeat(16)]),
    ],
    ['one tiny header repeated', Array.from({ length: 2000 }, (): [string, string] => ['a', '1'])],
  ];
  const withFlood = (headers: Record<string, string>, flood: Array<[string, string]>) => [
    ...Object.entries(headers),
    ...flood,
  ];

  it('answers an HTTP request with 2,000 headers with 4xx and keeps serving', async () => {
    const events = await connectSocket(f.t.wsUrl(`/api/studios/${f.studio.id}/events`), {
      cookie: f.viewer.cookie,
      origin: f.t.origin,
    });
    for (const [label, flood] of FLOODS) {
      const flooded = await rawHttp(f.t.url, {
        path: '/api/me',
        headers: withFlood({ cookie: f.owner.cookie }, flood),
      });
      expect(flooded.status, label).toBeGreaterThanOrEqual(400);
      expect(flooded.status, label).toBeLessThan(500);
    }
    expect((await f.t.request('/api/health')).status).toBe(200);
    // An open socket still gets events.
    expect(
      (await f.call('PATCH', `/api/studios/${f.studio.id}`, f.owner, { name: 'Still here' })).status,
    ).toBe(200);
    await waitFor(() => events.messages.some((m) => (m as { type?: string }).type === 'studio'));
    events.ws.close();
  });

  it('answers a WebSocket upgrade with 2,000 headers with 4xx, without upgrading, and keeps serving', async () => {
    for (const [label, flood] of FLOODS) {
      const flooded = await rawHttp(f.t.url, {
        path: `/api/studios/${f.studio.id}/events`,
        headers: withFlood({ ...UPGRADE_HEADERS, cookie: f.owner.cookie, origin: f.t.origin }, flood),
      });
      expect(flooded.upgraded, label).toBe(false);
      expect(flooded.status, label).toBeGreaterThanOrEqual(400);
      expect(flooded.status, label).toBeLessThan(500);
    }
    const socket = await connectSocket(f.t.wsUrl(`/api/studios/${f.studio.id}/events`), {
      cookie: f.owner.cookie,
      origin: f.t.origin,
    });
    await waitFor(() => socket.messages.length > 0);
    socket.ws.close();
    expect((await f.t.request('/api/health')).status).toBe(200);
  });
});
