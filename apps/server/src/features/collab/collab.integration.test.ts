import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CloseCode,
  type FileEntry,
  type Studio,
  type StudioEvent,
  TEXT_SOURCE_NAME,
} from '@studios/protocol';
import { waitFor } from '@studios/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import {
  type Account,
  callAs,
  connectSocket,
  createStudio,
  type ListeningTestServer,
  signUp,
  startTestServer,
  type TestSocket,
  upgradeStatus,
} from '../../testing';
import { type CollabFeature, collabFeature } from './collab-feature';

interface Client {
  doc: Y.Doc;
  text: Y.Text;
  provider: WebsocketProvider;
  closes: number[];
}

describe('collab feature on a real server', () => {
  let t: ListeningTestServer;
  let feature: CollabFeature;
  let alice: Account;
  let bob: Account;
  let carol: Account;
  let studio: Studio;
  const clients: Client[] = [];
  const sockets: TestSocket[] = [];

  const call = (method: string, path: string, who: Account, body?: unknown) =>
    callAs(t, who, method, path, body);
  const studioPath = (rest: string) => `/api/studios/${studio.id}${rest}`;
  const workspaceFile = (path: string) => join(t.server.services.studios.workspaceDir(studio.id), path);

  /** A stock y-websocket client sending the account's cookie and our Origin, like a browser tab. */
  function open(who: Account, path: string): Client {
    const headers = { cookie: who.cookie, origin: t.origin };
    class BrowserLikeSocket extends WebSocket {
      constructor(url: string, protocols?: string | string[]) {
        super(url, protocols, { headers });
      }
    }
    const doc = new Y.Doc();
    const provider = new WebsocketProvider(t.wsUrl(studioPath('/collab')), encodeURIComponent(path), doc, {
      WebSocketPolyfill: BrowserLikeSocket as unknown as typeof globalThis.WebSocket,
      disableBc: true,
    });
    const client: Client = { doc, text: doc.getText(TEXT_SOURCE_NAME), provider, closes: [] };
    provider.on('connection-close', (event) => {
      if (event) client.closes.push(event.code);
    });
    clients.push(client);
    return client;
  }

  beforeEach(async () => {
    t = await startTestServer({ features: [collabFeature({ writeDebounceMs: 50 })] });
    feature = t.server.features.find((candidate) => candidate.name === 'collab') as typeof feature;
    [alice, bob, carol] = [await signUp(t), await signUp(t), await signUp(t)];
    studio = await createStudio(t, alice, {
      name: 'Docs',
      members: [
        [bob, 'editor'],
        [carol, 'viewer'],
      ],
    });
    await writeFile(workspaceFile('readme.md'), '# Readme\n');
  });

  afterEach(async () => {
    for (const client of clients.splice(0)) {
      client.provider.destroy();
      client.doc.destroy();
    }
    for (const socket of sockets.splice(0)) socket.ws.terminate();
    await t.close();
  });

  it('lets two editors co-edit, saves to disk and announces doc-saved', async () => {
    const events = await connectSocket(t.wsUrl(studioPath('/events')), {
      cookie: alice.cookie,
      origin: t.origin,
    });
    sockets.push(events);
    const a = open(alice, 'readme.md');
    const b = open(bob, 'readme.md');
    await waitFor(() => a.text.toString() === '# Readme\n' && b.text.toString() === '# Readme\n');
    a.text.insert(a.text.length, 'from alice\n');
    await waitFor(() => b.text.toString() === '# Readme\nfrom alice\n');
    b.text.insert(0, '<!-- bob -->\n');
    await waitFor(() => a.text.toString() === '<!-- bob -->\n# Readme\nfrom alice\n');
    await waitFor(async () => (await readFile(workspaceFile('readme.md'), 'utf8')) === a.text.toString());
    await waitFor(() =>
      (events.messages as StudioEvent[]).some(
        (event) => event.type === 'doc-saved' && event.path === 'readme.md',
      ),
    );
  });

  it("drops a viewer's edits", async () => {
    const editor = open(alice, 'readme.md');
    const viewer = open(carol, 'readme.md');
    await waitFor(() => editor.provider.synced && viewer.provider.synced);
    viewer.text.insert(0, 'viewer was here\n');
    viewer.provider.disconnect();
    await waitFor(() => feature.service.stats().connections === 1);
    editor.text.insert(editor.text.length, 'editor\n');
    const fresh = open(bob, 'readme.md');
    await waitFor(() => fresh.text.toString() === '# Readme\neditor\n');
    expect(editor.text.toString()).toBe('# Readme\neditor\n');
  });

  it('closes a removed member’s socket with 4403 within 2 s', async () => {
    const viewer = open(carol, 'readme.md');
    await waitFor(() => viewer.provider.synced);
    expect((await call('DELETE', studioPath(`/members/${carol.user.id}`), alice)).status).toBe(204);
    await waitFor(() => viewer.closes.includes(CloseCode.Forbidden), { timeoutMs: 2000 });
  });

  it('makes a downgraded editor read-only within 2 s, on the open socket', async () => {
    const owner = open(alice, 'readme.md');
    const editor = open(bob, 'readme.md');
    await waitFor(() => owner.provider.synced && editor.provider.synced);
    const response = await call('PATCH', studioPath(`/members/${bob.user.id}`), alice, { role: 'viewer' });
    expect(response.status).toBe(200);
    // The very next edit after the PATCH answered is already dropped.
    editor.text.insert(0, 'after downgrade\n');
    // Frames of one socket are handled in order: once its close is seen, the edit was handled.
    editor.provider.disconnect();
    await waitFor(() => feature.service.stats().connections === 1);
    expect(owner.text.toString()).toBe('# Readme\n');
    expect(editor.closes).toEqual([]);
  });

  it('refuses an upgrade from a foreign Origin with 403', async () => {
    const url = t.wsUrl(`${studioPath('/collab')}/${encodeURIComponent('readme.md')}`);
    expect(await upgradeStatus(url, { cookie: alice.cookie, origin: 'https://evil.example' })).toBe(403);
    expect(await upgradeStatus(url, {})).toBe(401);
  });

  it('serves the files API with roles, typed errors and live tree events', async () => {
    const events = await connectSocket(t.wsUrl(studioPath('/events')), {
      cookie: carol.cookie,
      origin: t.origin,
    });
    sockets.push(events);
    const list = async (who: Account) =>
      (await (await call('GET', studioPath('/files'), who)).json()) as {
        entries: FileEntry[];
        truncated: boolean;
      };
    expect((await list(carol)).entries.map((entry) => entry.path)).toEqual(['readme.md']);

    expect((await call('POST', studioPath('/files'), carol, { path: 'x.txt', kind: 'file' })).status).toBe(
      403,
    );
    expect((await call('POST', studioPath('/files'), bob, { path: 'src/app.ts', kind: 'file' })).status).toBe(
      201,
    );
    expect((await call('POST', studioPath('/files'), bob, { path: 'src/app.ts', kind: 'file' })).status).toBe(
      409,
    );
    await waitFor(() =>
      (events.messages as StudioEvent[]).some(
        (event) =>
          event.type === 'files' && event.changes.some((c) => c.kind === 'added' && c.path === 'src/app.ts'),
      ),
    );

    const upload = await t.request(studioPath('/files/content?path=src%2Fdata.bin'), {
      method: 'PUT',
      headers: { cookie: bob.cookie, origin: t.origin, 'content-type': 'application/octet-stream' },
      body: new Uint8Array([0, 1, 2, 3]),
    });
    expect(upload.status).toBe(201);
    const download = await t.request(studioPath('/files/content?path=src%2Fdata.bin&download=1'), {
      headers: { cookie: carol.cookie },
    });
    expect(download.headers.get('content-disposition')).toContain('data.bin');
    expect(new Uint8Array(await download.arrayBuffer())).toEqual(new Uint8Array([0, 1, 2, 3]));

    const traversal = await t.request(studioPath('/files/content?path=..%2F..%2Fcollab.db'), {
      headers: { cookie: alice.cookie },
    });
    expect(traversal.status).toBe(403);
    expect(((await traversal.json()) as { code: string }).code).toBe('path_outside_workspace');
    expect(
      (await t.request(studioPath('/files/content?path=nope.txt'), { headers: { cookie: alice.cookie } }))
        .status,
    ).toBe(404);

    // A rename carries an open document along; a delete closes it with 4410.
    const doc = open(alice, 'src/app.ts');
    await waitFor(() => doc.provider.synced);
    doc.text.insert(0, 'export const x = 1;\n');
    const moved = await call('POST', studioPath('/files/move'), bob, { from: 'src', to: 'lib' });
    expect(moved.status).toBe(200);
    await waitFor(
      async () => (await readFile(workspaceFile('lib/app.ts'), 'utf8')) === 'export const x = 1;\n',
    );
    expect((await call('DELETE', studioPath('/files?path=lib'), bob)).status).toBe(204);
    await waitFor(() => doc.closes.includes(CloseCode.Gone));
    expect((await list(alice)).entries.map((entry) => entry.path)).toEqual(['readme.md']);
  });

  it('closes live documents with 4410 when the Studio is deleted', async () => {
    const doc = open(bob, 'readme.md');
    await waitFor(() => doc.provider.synced);
    expect((await call('DELETE', studioPath(''), alice)).status).toBe(204);
    await waitFor(() => doc.closes.length > 0);
    expect(doc.closes[0]).toBe(CloseCode.Gone);
    await waitFor(() => feature.service.stats().rooms === 0);
  });
});
