import { CloseCode, TEXT_SOURCE_NAME, type TokenCreated } from '@studios/protocol';
import { waitFor } from '@studios/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import type { CollabFeature } from '../features/collab';
import { type Account, connectSocket, type TestSocket } from '../testing';
import {
  authHeaders,
  type Caller,
  type SecurityFixture,
  startSecurityFixture,
} from '../testing/security-fixture';

/** Access changes must reach open sockets this fast (security.md, "Revocation"). */
const REVOCATION_DEADLINE_MS = 2000;

let f: SecurityFixture;
const opened: TestSocket[] = [];
const providers: WebsocketProvider[] = [];

beforeEach(async () => {
  f = await startSecurityFixture();
});
afterEach(async () => {
  for (const socket of opened.splice(0)) socket.ws.terminate();
  for (const provider of providers.splice(0)) provider.destroy();
  await f.close();
});

/** The victim's collab, terminal and events sockets, opened like a browser tab would. */
async function openAll(caller: Caller): Promise<Record<'events' | 'collab' | 'terminal', TestSocket>> {
  const headers = { ...authHeaders(caller), origin: f.t.origin };
  const base = `/api/studios/${f.studio.id}`;
  const sockets = {
    events: await connectSocket(f.t.wsUrl(`${base}/events`), headers),
    collab: await connectSocket(f.t.wsUrl(`${base}/collab/readme.md`), headers),
    terminal: await connectSocket(f.t.wsUrl(`${base}/terminals/${f.terminalId}`), headers),
  };
  opened.push(...Object.values(sockets));
  // Each stream has said hello (events), synced (collab) or attached (terminal).
  await waitFor(() => Object.values(sockets).every((socket) => socket.messages.length > 0));
  return sockets;
}

/** Waits until every socket closed with `code`, failing after the revocation deadline. */
async function expectAllClosed(sockets: Record<string, TestSocket>, code: number): Promise<void> {
  await waitFor(() => Object.values(sockets).every((socket) => socket.closeEvent), {
    timeoutMs: REVOCATION_DEADLINE_MS,
  });
  const codes = Object.fromEntries(
    Object.entries(sockets).map(([name, socket]) => [name, socket.closeEvent?.code]),
  );
  expect(codes).toEqual({ events: code, collab: code, terminal: code });
}

/** A y-websocket client of `readme.md` sending `who`'s cookie and our Origin. */
function openDocument(who: Account): { text: Y.Text; provider: WebsocketProvider } {
  const headers = { cookie: who.cookie, origin: f.t.origin };
  class BrowserLikeSocket extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols, { headers });
    }
  }
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(f.t.wsUrl(`/api/studios/${f.studio.id}/collab`), 'readme.md', doc, {
    WebSocketPolyfill: BrowserLikeSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
  });
  providers.push(provider);
  return { text: doc.getText(TEXT_SOURCE_NAME), provider };
}

const call = (method: string, path: string, who: Account, body?: unknown) => f.call(method, path, who, body);

describe('open sockets follow access changes within 2 s', () => {
  it('closes every socket with 4403 when the member is removed', async () => {
    const sockets = await openAll(f.editor);
    expect(
      (await call('DELETE', `/api/studios/${f.studio.id}/members/${f.editor.user.id}`, f.owner)).status,
    ).toBe(204);
    await expectAllClosed(sockets, CloseCode.Forbidden);
  });

  it('closes every socket with 4410 when the Studio is deleted', async () => {
    const sockets = await openAll(f.editor);
    expect((await call('DELETE', `/api/studios/${f.studio.id}`, f.owner)).status).toBe(204);
    await expectAllClosed(sockets, CloseCode.Gone);
  });

  it('closes every socket of the session with 4401 on logout', async () => {
    const sockets = await openAll(f.editor);
    expect((await call('POST', '/api/auth/logout', f.editor)).status).toBe(204);
    await expectAllClosed(sockets, CloseCode.Unauthorized);
  });

  it('closes every socket of a token with 4401 when it is revoked, and leaves cookie sockets open', async () => {
    const created = (await (
      await call('POST', '/api/tokens', f.editor, { name: 'cli' })
    ).json()) as TokenCreated;
    const byToken = await openAll({ token: created.token });
    const byCookie = await connectSocket(f.t.wsUrl(`/api/studios/${f.studio.id}/events`), {
      cookie: f.editor.cookie,
      origin: f.t.origin,
    });
    opened.push(byCookie);
    expect((await call('DELETE', `/api/tokens/${created.id}`, f.editor)).status).toBe(204);
    await expectAllClosed(byToken, CloseCode.Unauthorized);
    expect(byCookie.closeEvent).toBeUndefined();
  });

  it('makes every socket read-only when an editor is downgraded to viewer, without closing it', async () => {
    const sockets = await openAll(f.editor);
    const editorDoc = openDocument(f.editor);
    await waitFor(() => editorDoc.provider.synced && editorDoc.text.toString() === '# Readme\n');
    expect(
      (
        await call('PATCH', `/api/studios/${f.studio.id}/members/${f.editor.user.id}`, f.owner, {
          role: 'viewer',
        })
      ).status,
    ).toBe(200);
    const has = (socket: TestSocket, expected: object) =>
      socket.messages.some((message) => JSON.stringify(message) === JSON.stringify(expected));
    await waitFor(() => has(sockets.events, { type: 'role', role: 'viewer' }), {
      timeoutMs: REVOCATION_DEADLINE_MS,
    });
    await waitFor(() => has(sockets.terminal, { type: 'role', canWrite: false }), {
      timeoutMs: REVOCATION_DEADLINE_MS,
    });

    // The next edit on the already-open document socket is dropped by the server.
    editorDoc.text.insert(0, 'written after the downgrade\n');
    editorDoc.provider.disconnect(); // frames of one socket are handled in order, then the close
    const collab = f.t.server.features.find((feature) => feature.name === 'collab') as CollabFeature;
    await waitFor(() => collab.service.stats().connections === 1); // only the raw socket is left
    const fresh = openDocument(f.owner);
    await waitFor(() => fresh.provider.synced);
    expect(fresh.text.toString()).toBe('# Readme\n');
    expect(Object.values(sockets).map((socket) => socket.closeEvent)).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
  });
});
