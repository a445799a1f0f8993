import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { waitFor } from '@studios/testkit';
import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import { connectClient } from '../testing/collab-client';
import { useCollabEnv } from '../testing/collab-env';
import {
  insertUpdate,
  syncStep1Frame,
  syncStep2Frame,
  textOfSyncStep2,
  updateFrame,
} from '../testing/frames';
import { openRawSocket, type RawSocket } from '../testing/raw-socket';
import { encodeAwarenessEntries } from './messages';

const { dirs, clients, raws, startServer } = useCollabEnv();

async function setup() {
  const root = dirs.make('ws-');
  await writeFile(join(root, 'a.txt'), 'original\n');
  const server = await startServer({
    dbPath: join(dirs.make('db-'), 'collab.db'),
    workspaceRoot: root,
    writeDebounceMs: 20,
  });
  const url = server.collabUrl('s1');
  const raw = (options: Parameters<typeof openRawSocket>[2]) => {
    const socket = openRawSocket(url, 'a.txt', options);
    raws.push(socket);
    return socket;
  };
  const editor = connectClient(url, 'a.txt', { user: 'ed' });
  clients.push(editor);
  await waitFor(() => editor.text.toString() === 'original\n');
  return { server, raw, editor, url };
}

/** Asks the server for its full state over `socket`; frames are handled in order, so earlier ones are done. */
async function serverText(socket: RawSocket): Promise<string> {
  const before = socket.frames.length;
  socket.send(syncStep1Frame());
  return waitFor(() => {
    for (const frame of socket.frames.slice(before)) {
      const text = textOfSyncStep2(frame);
      if (text !== null) return text;
    }
    return null;
  });
}

describe('roles inside the collab stream', () => {
  it("drops a viewer's raw SyncStep2 and Update frames and answers its SyncStep1", async () => {
    const { raw, editor } = await setup();
    const viewer = raw({ role: 'viewer', user: 'vic' });
    await viewer.opened;
    viewer.send(syncStep2Frame(insertUpdate('VIEWER STEP2 ')));
    viewer.send(updateFrame(insertUpdate('VIEWER UPDATE ')));
    expect(await serverText(viewer)).toBe('original\n');

    editor.text.insert(0, 'ok ');
    await waitFor(async () => (await serverText(viewer)) === 'ok original\n');
    expect(editor.text.toString()).toBe('ok original\n');
  });

  it('makes an open editor socket read-only at once when setCanWrite(false) is called', async () => {
    const { raw, editor, server } = await setup();
    const socket = raw({ user: 'eve' });
    await socket.opened;
    socket.send(updateFrame(insertUpdate('first ')));
    expect(await serverText(socket)).toContain('first ');

    const handle = await waitFor(() => server.connections.find((c) => c.userId === 'eve')?.handle);
    handle.setCanWrite(false);
    socket.send(updateFrame(insertUpdate('second ')));
    const text = await serverText(socket);
    expect(text).toContain('first ');
    expect(text).not.toContain('second ');
    await waitFor(() => editor.text.toString() === text);

    handle.setCanWrite(true);
    socket.send(updateFrame(insertUpdate('third ')));
    expect(await serverText(socket)).toContain('third ');
  });

  it('lets a socket speak in awareness only for the client it introduced', async () => {
    const { editor, url } = await setup();
    const other = connectClient(url, 'a.txt', { user: 'bob' });
    clients.push(other);
    other.provider.awareness.setLocalStateField('user', { id: 'forged', name: 'Forged', color: '#f00' });
    await waitFor(() => editor.provider.awareness.getStates().get(other.doc.clientID));
    const seen = editor.provider.awareness.getStates().get(other.doc.clientID) as {
      user: { id: string; name: string };
    };
    // The server stamps the authenticated identity over whatever the client claimed.
    expect(seen.user).toMatchObject({ id: 'bob', name: 'bob' });

    // bob's socket tries to overwrite the editor's presence, with a clock that would win: ignored.
    editor.provider.awareness.setLocalStateField('user', { id: 'ed', name: 'ed', color: '#0f0' });
    await waitFor(() => other.provider.awareness.getStates().get(editor.doc.clientID));
    const spoofed = encodeAwarenessEntries([
      { clientId: editor.doc.clientID, clock: 1_000_000, state: JSON.stringify({ user: { id: 'spoof' } }) },
    ]);
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, 1);
    encoding.writeVarUint8Array(encoder, spoofed);
    other.provider.ws?.send(encoding.toUint8Array(encoder));
    other.provider.awareness.setLocalStateField('cursor', 1);
    await waitFor(
      () =>
        (editor.provider.awareness.getStates().get(other.doc.clientID) as { cursor?: number })?.cursor === 1,
    );
    const editorSeenByOther = other.provider.awareness.getStates().get(editor.doc.clientID) as {
      user: { id: string };
    };
    expect(editorSeenByOther.user.id).toBe('ed');
    expect(editor.provider.awareness.getLocalState()?.user).toMatchObject({ id: 'ed' });

    // Presence disappears when the socket leaves.
    other.provider.disconnect();
    await waitFor(() => !editor.provider.awareness.getStates().has(other.doc.clientID));
  });
});
