import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type FileEntry, type Studio, TEXT_SOURCE_NAME } from '@studios/protocol';
import { waitFor } from '@studios/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import {
  type Account,
  callAs,
  createStudio,
  type ListeningTestServer,
  signUp,
  startTestServer,
} from '../../testing';
import { collabFeature } from '../collab';
import { runtimeFeature } from '../runtime';
import { agentsFeature } from './agents-feature';

// Issue #9: a stopped Studio's files are browsable and editable without starting its machine
// (a files-only sandbox serves them), and a document open across stop and start stays live.
describe("a Studio's files across stop and start (Docker)", { timeout: 180_000 }, () => {
  let t: ListeningTestServer;
  let alice: Account;
  let studio: Studio;
  let provider: WebsocketProvider | undefined;
  const doc = new Y.Doc();
  const text = doc.getText(TEXT_SOURCE_NAME);

  const call = (method: string, path: string, body?: unknown) => callAs(t, alice, method, path, body);
  const studioPath = (rest: string) => `/api/studios/${studio.id}${rest}`;
  const onDisk = (path: string) =>
    readFile(join(t.server.services.studios.workspaceDir(studio.id), path), 'utf8').catch(() => '');
  const state = async () => ((await (await call('GET', studioPath(''))).json()) as Studio).runtime.state;
  const waitForState = (wanted: string) =>
    waitFor(async () => (await state()) === wanted, {
      timeoutMs: 90_000,
      what: `the Studio to be ${wanted}`,
    });

  beforeAll(async () => {
    t = await startTestServer({
      config: { runtime: 'docker', idleMinutes: 0 },
      features: [runtimeFeature(), agentsFeature(), collabFeature({ writeDebounceMs: 50 })],
    });
    alice = await signUp(t);
    studio = await createStudio(t, alice, { name: 'Files while stopped' });
  });

  afterAll(async () => {
    provider?.destroy();
    await call('DELETE', studioPath('')).catch(() => {});
    await t?.close();
  });

  it('lists, uploads and opens files of a Studio that was never started, without starting it', async () => {
    const upload = await t.request(`${studioPath('/files/content')}?path=notes.md`, {
      method: 'PUT',
      headers: { cookie: alice.cookie, origin: t.origin, 'content-type': 'application/octet-stream' },
      body: '# Notes\n',
    });
    expect(upload.status).toBe(201);
    const tree = (await (await call('GET', studioPath('/files'))).json()) as { entries: FileEntry[] };
    expect(tree.entries.map((entry) => entry.path)).toEqual(['notes.md']);
    expect(await state()).toBe('stopped');

    class BrowserLikeSocket extends WebSocket {
      constructor(url: string, protocols?: string | string[]) {
        super(url, protocols, { headers: { cookie: alice.cookie, origin: t.origin } });
      }
    }
    provider = new WebsocketProvider(t.wsUrl(studioPath('/collab')), 'notes.md', doc, {
      WebSocketPolyfill: BrowserLikeSocket as unknown as typeof globalThis.WebSocket,
      disableBc: true,
    });
    await waitFor(() => text.toString() === '# Notes\n', { what: 'the document loaded from the sandbox' });
    text.insert(text.length, 'typed while stopped\n');
    await waitFor(async () => (await onDisk('notes.md')).endsWith('typed while stopped\n'), {
      timeoutMs: 15_000,
      what: 'the edit saved through the sandbox',
    });
    expect(await state()).toBe('stopped');
  });

  it('keeps the open document live while the Studio starts, runs and stops again', async () => {
    expect((await call('POST', studioPath('/start'))).status).toBe(202);
    await waitForState('running');
    text.insert(text.length, 'typed while running\n');
    await waitFor(async () => (await onDisk('notes.md')).endsWith('typed while running\n'), {
      timeoutMs: 20_000,
      what: 'the edit saved through the agent inside the Studio',
    });
    expect((await call('POST', studioPath('/stop'))).status).toBe(202);
    await waitForState('stopped');
    text.insert(text.length, 'typed after the stop\n');
    await waitFor(async () => (await onDisk('notes.md')).endsWith('typed after the stop\n'), {
      timeoutMs: 20_000,
      what: 'the edit saved through a new sandbox',
    });
    expect(await onDisk('notes.md')).toBe(
      '# Notes\ntyped while stopped\ntyped while running\ntyped after the stop\n',
    );
  });
});
