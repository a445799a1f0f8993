import { request as httpRequest } from 'node:http';
import { CloseCode, EVENTS_PROTOCOL_VERSION, type Studio, type TokenCreated } from '@studios/protocol';
import { waitFor } from '@studios/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SocketRoute } from '../features/feature';
import {
  type Account,
  connectSocket,
  jsonInit,
  type ListeningTestServer,
  signUp,
  startTestServer,
  upgradeStatus,
} from '../testing';
import { ACCESS_REMOVED_REASON } from './upgrade-router';

let t: ListeningTestServer;
let alice: Account;
let bob: Account;
let studio: Studio;

/** A tiny feature socket for testing the router itself: echoes, and records role changes. */
const roleChanges: string[] = [];
const echoRoute: SocketRoute = {
  pattern: '/api/studios/:studioId/echo/:name',
  minRole: 'editor',
  maxPayload: 1024,
  handle(ws, ctx) {
    ws.on('message', (data) => ws.send(JSON.stringify({ name: ctx.params.name, got: data.toString() })));
    return { onRoleChange: (role) => roleChanges.push(role) };
  },
};

const call = (method: string, path: string, who: Account, body?: unknown) =>
  t.request(path, jsonInit(method, body, { cookie: who.cookie, origin: t.origin }));

const eventsUrl = () => t.wsUrl(`/api/studios/${studio.id}/events`);
const as = (who: Account, extra: Record<string, string> = {}) => ({
  cookie: who.cookie,
  origin: t.origin,
  ...extra,
});

beforeEach(async () => {
  roleChanges.length = 0;
  t = await startTestServer({ features: [() => ({ name: 'echo', sockets: [echoRoute] })] });
  alice = await signUp(t);
  bob = await signUp(t);
  studio = (await (await call('POST', '/api/studios', alice, { name: 'Shared' })).json()) as Studio;
  await call('POST', `/api/studios/${studio.id}/members`, alice, { email: bob.email, role: 'editor' });
});

afterEach(async () => {
  await t.close();
});

describe('upgrade checks', () => {
  it('refuses without credentials (401), from a foreign origin (403), and unknown paths (404)', async () => {
    expect(await upgradeStatus(eventsUrl(), { origin: t.origin })).toBe(401);
    expect(await upgradeStatus(eventsUrl(), as(bob, { origin: 'https://evil.example' }))).toBe(403);
    expect(await upgradeStatus(eventsUrl(), as(bob, { origin: 'null' }))).toBe(403);
    expect(await upgradeStatus(t.wsUrl('/api/studios/x/nothing-here'), as(bob))).toBe(404);
    expect(t.server.sockets.openCount).toBe(0);
  });

  it('hides Studios the caller is not a member of (404) and enforces the minimum role (403)', async () => {
    const carol = await signUp(t);
    expect(await upgradeStatus(eventsUrl(), as(carol))).toBe(404);
    expect(await upgradeStatus(t.wsUrl('/api/studios/missing/events'), as(carol))).toBe(404);
    await call('POST', `/api/studios/${studio.id}/members`, alice, { email: carol.email, role: 'viewer' });
    expect(await upgradeStatus(t.wsUrl(`/api/studios/${studio.id}/echo/a`), as(carol))).toBe(403);
    const viewerEvents = await connectSocket(eventsUrl(), as(carol));
    viewerEvents.ws.close();
  });

  it('refuses a header flood with 431 and keeps serving', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const headers: Record<string, string> = {
        connection: 'Upgrade',
        upgrade: 'websocket',
        'sec-websocket-version': '13',
        'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
      };
      for (let i = 0; i < 150; i++) headers[`x-flood-${i}`] = 'a';
      const url = new URL(t.url);
      const req = httpRequest({
        host: url.hostname,
        port: url.port,
        path: `/api/studios/${studio.id}/events`,
        headers,
      });
      req.on('response', (response) => resolve(response.statusCode ?? 0));
      req.on('upgrade', () => reject(new Error('upgraded')));
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(431);
    expect((await t.request('/api/health')).status).toBe(200);
  });

  it('accepts a Bearer token and the same origin', async () => {
    const created = await call('POST', '/api/tokens', bob, { name: 'ws' });
    const { token } = (await created.json()) as TokenCreated;
    const socket = await connectSocket(t.wsUrl(`/api/studios/${studio.id}/echo/x`), {
      authorization: `Bearer ${token}`,
    });
    socket.ws.send('ping');
    await waitFor(() => socket.messages.length === 1);
    expect(socket.messages[0]).toEqual({ name: 'x', got: 'ping' });
    socket.ws.close();
  });
});

describe('events socket', () => {
  it('sends hello, then studio and role events, and closes with 4403 when the member is removed', async () => {
    const socket = await connectSocket(eventsUrl(), as(bob));
    await waitFor(() => socket.messages.length >= 1);
    expect(socket.messages[0]).toEqual({ type: 'hello', version: EVENTS_PROTOCOL_VERSION, role: 'editor' });

    await call('PATCH', `/api/studios/${studio.id}`, alice, { name: 'Renamed' });
    await waitFor(() => socket.messages.length >= 2);
    expect(socket.messages[1]).toEqual({ type: 'studio', name: 'Renamed' });

    await call('PATCH', `/api/studios/${studio.id}/members/${bob.user.id}`, alice, { role: 'viewer' });
    await waitFor(() => socket.messages.length >= 3);
    expect(socket.messages[2]).toEqual({ type: 'role', role: 'viewer' });

    const removed = await call('DELETE', `/api/studios/${studio.id}/members/${bob.user.id}`, alice);
    expect(removed.status).toBe(204);
    const closed = await waitFor(() => socket.closeEvent, { timeoutMs: 2000 });
    expect(closed).toEqual({ code: CloseCode.Forbidden, reason: ACCESS_REMOVED_REASON });
    await waitFor(() => t.server.sockets.openCount === 0);
    expect(t.server.services.access.watchCount).toBe(0);
    expect(t.server.services.events.subscriberCount).toBe(0);
  });

  it('closes with 4410 when the Studio is deleted', async () => {
    const socket = await connectSocket(eventsUrl(), as(bob));
    expect((await call('DELETE', `/api/studios/${studio.id}`, alice)).status).toBe(204);
    expect(await waitFor(() => socket.closeEvent, { timeoutMs: 2000 })).toMatchObject({
      code: CloseCode.Gone,
    });
  });
});

describe('sockets follow access changes', () => {
  it('closes a route socket with 4403 on a downgrade below its minimum role; reports allowed changes', async () => {
    const socket = await connectSocket(t.wsUrl(`/api/studios/${studio.id}/echo/doc`), as(bob));
    await call('PATCH', `/api/studios/${studio.id}/members/${bob.user.id}`, alice, { role: 'owner' });
    await waitFor(() => roleChanges.length === 1);
    expect(roleChanges).toEqual(['owner']);
    await call('PATCH', `/api/studios/${studio.id}/members/${bob.user.id}`, alice, { role: 'viewer' });
    expect(await waitFor(() => socket.closeEvent, { timeoutMs: 2000 })).toEqual({
      code: CloseCode.Forbidden,
      reason: ACCESS_REMOVED_REASON,
    });
  });

  it("closes a session's sockets with 4401 on logout, and a token's on revocation", async () => {
    const bySession = await connectSocket(eventsUrl(), as(bob));
    const created = await call('POST', '/api/tokens', bob, { name: 'ws' });
    const token = (await created.json()) as TokenCreated;
    const byToken = await connectSocket(eventsUrl(), { authorization: `Bearer ${token.token}` });

    await call('DELETE', `/api/tokens/${token.id}`, bob);
    expect(await waitFor(() => byToken.closeEvent, { timeoutMs: 2000 })).toMatchObject({
      code: CloseCode.Unauthorized,
    });
    expect(bySession.closeEvent).toBeUndefined();

    await call('POST', '/api/auth/logout', bob);
    expect(await waitFor(() => bySession.closeEvent, { timeoutMs: 2000 })).toMatchObject({
      code: CloseCode.Unauthorized,
    });
  });

  it('closes a frame above maxPayload with 1009', async () => {
    const socket = await connectSocket(t.wsUrl(`/api/studios/${studio.id}/echo/big`), as(bob));
    socket.ws.send('x'.repeat(2048));
    expect(await waitFor(() => socket.closeEvent, { timeoutMs: 2000 })).toMatchObject({
      code: CloseCode.MessageTooBig,
    });
  });

  it('closes every socket with 4503 on shutdown', async () => {
    const socket = await connectSocket(eventsUrl(), as(bob));
    await t.server.close();
    expect(await waitFor(() => socket.closeEvent, { timeoutMs: 2000 })).toEqual({
      code: CloseCode.ServerRestarting,
      reason: 'Server restarting',
    });
  });
});
