import { access, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CloseCode } from '@studios/protocol';
import { FakeClock, waitFor } from '@studios/testkit';
import { describe, expect, it } from 'vitest';
import { connectClient } from '../testing/collab-client';
import { useCollabEnv } from '../testing/collab-env';
import { openRawSocket } from '../testing/raw-socket';

const { dirs, clients, raws, startServer } = useCollabEnv();

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

async function setup(options: { clock?: FakeClock; writeDebounceMs?: number } = {}) {
  const root = dirs.make('ws-');
  await writeFile(join(root, 'a.txt'), 'content\n');
  const server = await startServer({
    dbPath: join(dirs.make('db-'), 'collab.db'),
    workspaceRoot: root,
    writeDebounceMs: options.writeDebounceMs ?? 20,
    ...(options.clock ? { clock: options.clock } : {}),
  });
  return { root, server, url: server.collabUrl('s1') };
}

describe('files renamed and deleted through the files API', () => {
  it('follows a rename: edits land in the new file, the old name stays gone', async () => {
    const { root, server, url } = await setup();
    const client = connectClient(url, 'a.txt');
    clients.push(client);
    await waitFor(() => client.text.toString() === 'content\n');
    await rename(join(root, 'a.txt'), join(root, 'b.txt'));
    await server.service.pathMoved('s1', 'a.txt', 'b.txt');
    client.text.insert(0, 'more ');
    await waitFor(async () => (await readFile(join(root, 'b.txt'), 'utf8')) === 'more content\n');
    await server.service.flushAll();
    expect(await exists(join(root, 'a.txt'))).toBe(false);

    // The log moved too: opening the new name shows the same doc.
    const other = connectClient(url, 'b.txt', { user: 'bob' });
    clients.push(other);
    await waitFor(() => other.text.toString() === 'more content\n');
  });

  it('closes a deleted file with 4410, never writes it back, and forgets its log', async () => {
    const { root, server, url } = await setup();
    const client = connectClient(url, 'a.txt');
    clients.push(client);
    await waitFor(() => client.text.toString() === 'content\n');
    client.text.insert(0, 'unsaved ');
    await rm(join(root, 'a.txt'));
    await server.service.pathDeleted('s1', 'a.txt');
    await waitFor(() => client.closes.some((close) => close.code === CloseCode.Gone));
    await waitFor(() => server.service.stats().rooms === 0);
    expect(await exists(join(root, 'a.txt'))).toBe(false);

    await writeFile(join(root, 'a.txt'), 'new file\n');
    const fresh = connectClient(url, 'a.txt', { user: 'bob' });
    clients.push(fresh);
    await waitFor(() => fresh.provider.synced);
    expect(fresh.text.toString()).toBe('new file\n');
  });

  it('closeStudio flushes and closes every room of that Studio', async () => {
    const { root, server, url } = await setup({ writeDebounceMs: 1000 });
    const client = connectClient(url, 'a.txt');
    const observer = connectClient(url, 'a.txt', { user: 'bob' });
    clients.push(client, observer);
    await waitFor(() => client.provider.synced && observer.provider.synced);
    client.text.insert(0, 'x');
    await waitFor(() => observer.text.toString() === 'xcontent\n');
    await server.service.closeStudio('s1', CloseCode.ServerRestarting, 'studio stopping');
    expect(await readFile(join(root, 'a.txt'), 'utf8')).toBe('xcontent\n');
    await waitFor(() => client.closes.some((close) => close.code === CloseCode.ServerRestarting));
  });
});

describe('heartbeat', () => {
  it('drops a socket that stopped answering pings', async () => {
    const clock = new FakeClock(0);
    const { server, url } = await setup({ clock });
    const socket = openRawSocket(url, 'a.txt');
    raws.push(socket);
    await waitFor(() => socket.frames.length > 0);
    // A dead peer: stop reading, so pings go unanswered.
    (socket.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    clock.advance(30_000);
    expect(server.service.stats().connections).toBe(1);
    clock.advance(30_000);
    await waitFor(() => server.service.stats().connections === 0);
  });

  it('keeps a live socket', async () => {
    const clock = new FakeClock(0);
    const { server, url } = await setup({ clock });
    const socket = openRawSocket(url, 'a.txt');
    raws.push(socket);
    await waitFor(() => socket.frames.length > 0);
    for (let i = 0; i < 3; i++) {
      let pinged = false;
      socket.ws.once('ping', () => {
        pinged = true;
      });
      clock.advance(30_000);
      await waitFor(() => pinged);
      // the pong is sent right after the ping event; give it a round trip
      await waitFor(async () => {
        await new Promise((resolve) => socket.ws.ping(undefined, undefined, resolve));
        return true;
      });
    }
    expect(server.service.stats().connections).toBe(1);
  });
});
