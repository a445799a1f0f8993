import { watch } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Studio, TEXT_SOURCE_NAME } from '@studios/protocol';
import { findProcesses, waitFor } from '@studios/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { type Account, createStudio, type ListeningTestServer, signUp, startTestServer } from '../../testing';
import { collabFeature } from './collab-feature';

/** A document big enough that each save takes a moment, so the kill can land inside one. */
const INITIAL = Array.from({ length: 40_000 }, (_, i) => `line ${i} of the initial text`).join('\n');

// The Studio's agent (local runtime) is SIGKILLed while it is saving a live document. Every edit
// that another client had received (the server logs an update before it broadcasts it) must end
// up in the file once the agent has been restarted: nothing acknowledged is lost.
describe('a live document whose agent is killed mid-save', { timeout: 90_000 }, () => {
  let t: ListeningTestServer;
  let alice: Account;
  let studio: Studio;
  const docs: Array<{ doc: Y.Doc; provider: WebsocketProvider }> = [];

  beforeAll(async () => {
    t = await startTestServer({ features: [collabFeature({ writeDebounceMs: 50 })] });
    alice = await signUp(t);
    studio = await createStudio(t, alice, { name: 'Durable' });
    await writeFile(join(workspace(), 'notes.md'), INITIAL);
  });

  afterAll(async () => {
    for (const { doc, provider } of docs.splice(0)) {
      provider.destroy();
      doc.destroy();
    }
    await t?.close();
  });

  const workspace = () => t.server.services.studios.workspaceDir(studio.id);

  /** A stock y-websocket client with Alice's cookie and our Origin, like a browser tab. */
  function open(path: string): { text: Y.Text; provider: WebsocketProvider } {
    const headers = { cookie: alice.cookie, origin: t.origin };
    class BrowserLikeSocket extends WebSocket {
      constructor(url: string, protocols?: string | string[]) {
        super(url, protocols, { headers });
      }
    }
    const doc = new Y.Doc();
    const url = t.wsUrl(`/api/studios/${studio.id}/collab`);
    const provider = new WebsocketProvider(url, encodeURIComponent(path), doc, {
      WebSocketPolyfill: BrowserLikeSocket as unknown as typeof globalThis.WebSocket,
      disableBc: true,
    });
    docs.push({ doc, provider });
    return { text: doc.getText(TEXT_SOURCE_NAME), provider };
  }

  it('keeps every acknowledged edit: the file ends with all of them after the agent restarts', async () => {
    const typist = open('notes.md');
    const witness = open('notes.md');
    await waitFor(() => typist.text.toString() === INITIAL && witness.text.toString() === INITIAL, {
      timeoutMs: 20_000,
      what: 'both clients loaded',
    });
    const agents = () => findProcesses('studios-agent.mjs', '--root', workspace());
    await waitFor(() => agents().length === 1, { what: 'the Studio agent' });
    const [victim] = agents();

    // SIGKILL as soon as the agent creates a save's temp file: inside a save, by construction.
    let killedDuringSave = false;
    const watcher = watch(workspace(), (_event, name) => {
      if (killedDuringSave || !name?.toString().startsWith('.notes.md.studios-')) return;
      killedDuringSave = true;
      process.kill(victim as number, 'SIGKILL');
    });
    try {
      for (let i = 0; i < 60; i++) {
        typist.text.insert(typist.text.length, `\nedit ${i}`);
        // Acknowledged: the server logged it before it reached the witness.
        await waitFor(() => witness.text.toString().endsWith(`\nedit ${i}`), { what: `edit ${i} relayed` });
        if (i >= 10) await waitFor(() => killedDuringSave, { timeoutMs: 20_000, what: 'a save to kill' });
      }
    } finally {
      watcher.close();
    }
    expect(killedDuringSave).toBe(true);

    const acknowledged = witness.text.toString();
    expect(acknowledged.endsWith('\nedit 59')).toBe(true);
    await waitFor(async () => (await readFile(join(workspace(), 'notes.md'), 'utf8')) === acknowledged, {
      timeoutMs: 30_000,
      what: 'every acknowledged edit in the file',
    });
    const [successor] = agents();
    expect(successor).toBeDefined();
    expect(successor).not.toBe(victim);
  });
});
