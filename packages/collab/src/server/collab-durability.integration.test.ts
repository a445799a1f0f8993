import { type ChildProcess, spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitFor } from '@studios/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { connectClient } from '../testing/collab-client';
import { useCollabEnv } from '../testing/collab-env';

const { dirs, clients, startServer } = useCollabEnv();
const children: ChildProcess[] = [];

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

const script = fileURLToPath(new URL('../testing/collab-server-process.ts', import.meta.url));

/** Starts the room server in a child process (tsx) and resolves with its port. */
async function startChild(dbPath: string, root: string): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', script, dbPath, root], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const port = await waitFor(() => Number(/listening (\d+)/.exec(output)?.[1]), {
    timeoutMs: 20_000,
    what: 'child server did not start',
  });
  return { child, port };
}

const collabUrl = (port: number) => `ws://127.0.0.1:${port}/api/studios/s1/collab`;

describe('durability', () => {
  // Two child servers start in this test (tsx, 1-3 s each on a busy 2-core machine): the default
  // 5 s test deadline is too short for that, not for what the test checks.
  it('keeps an edit another client saw across a SIGKILL, and writes it to the file after a reconnect', {
    timeout: 60_000,
  }, async () => {
    const root = dirs.make('ws-');
    const dbPath = join(dirs.make('db-'), 'collab.db');
    await writeFile(join(root, 'main.py'), 'print("hi")\n');

    const first = await startChild(dbPath, root);
    const writer = connectClient(collabUrl(first.port), 'main.py', { user: 'ann' });
    const reader = connectClient(collabUrl(first.port), 'main.py', { user: 'ben' });
    clients.push(writer, reader);
    await waitFor(() => writer.provider.synced && reader.provider.synced);
    writer.text.insert(0, '# acknowledged edit\n');
    await waitFor(() => reader.text.toString().startsWith('# acknowledged edit\n'));
    first.child.kill('SIGKILL');
    await waitFor(() => first.child.exitCode !== null || first.child.signalCode !== null);
    writer.destroy();
    reader.destroy();
    clients.length = 0;

    const second = await startChild(dbPath, root);
    const fresh = connectClient(collabUrl(second.port), 'main.py', { user: 'cat' });
    clients.push(fresh);
    await waitFor(() => fresh.provider.synced);
    expect(fresh.text.toString()).toBe('# acknowledged edit\nprint("hi")\n');
    await waitFor(
      async () => (await readFile(join(root, 'main.py'), 'utf8')) === '# acknowledged edit\nprint("hi")\n',
    );
  });

  it('merges an offline client after a server restart without duplicating content', async () => {
    const root = dirs.make('ws-');
    const dbPath = join(dirs.make('db-'), 'collab.db');
    await writeFile(join(root, 'a.txt'), 'shared line\n');
    let server = await startServer({ dbPath, workspaceRoot: root, writeDebounceMs: 20 });
    const offlineDoc = new Y.Doc();
    const offline = connectClient(server.collabUrl('s1'), 'a.txt', { doc: offlineDoc, user: 'ann' });
    await waitFor(() => offline.text.toString() === 'shared line\n');
    offline.provider.destroy();
    offline.text.insert(offline.text.length, 'typed offline\n');

    await server.close();
    server = await startServer({ dbPath, workspaceRoot: root, writeDebounceMs: 20 });
    const online = connectClient(server.collabUrl('s1'), 'a.txt', { user: 'ben' });
    clients.push(online);
    await waitFor(() => online.provider.synced);
    const back = connectClient(server.collabUrl('s1'), 'a.txt', { doc: offlineDoc, user: 'ann' });
    clients.push(back);
    await waitFor(() => online.text.toString() === 'shared line\ntyped offline\n');
    expect(back.text.toString()).toBe('shared line\ntyped offline\n');
    await server.service.flushAll();
    expect(await readFile(join(root, 'a.txt'), 'utf8')).toBe('shared line\ntyped offline\n');
  });

  it('seeds the content once when two clients open the same file at the same moment', async () => {
    const root = dirs.make('ws-');
    await writeFile(join(root, 'same.txt'), 'only once\n');
    const server = await startServer({
      dbPath: join(dirs.make('db-'), 'collab.db'),
      workspaceRoot: root,
      writeDebounceMs: 20,
    });
    const url = server.collabUrl('s1');
    const both = [
      connectClient(url, 'same.txt', { user: 'a' }),
      connectClient(url, 'same.txt', { user: 'b' }),
    ];
    clients.push(...both);
    await waitFor(() => both.every((client) => client.provider.synced));
    for (const client of both) expect(client.text.toString()).toBe('only once\n');
  });
});
