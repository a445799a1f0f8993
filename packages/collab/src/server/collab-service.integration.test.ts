import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { connectClient, type TestClient } from '../testing/collab-client';
import { type CollabTestServer, startCollabTestServer } from '../testing/collab-test-server';
import { tempDirs } from '../testing/temp-dir';
import { waitFor } from '../testing/wait-for';

const dirs = tempDirs();
let server: CollabTestServer | undefined;
const clients: TestClient[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy();
  await server?.close();
  server = undefined;
  await dirs.cleanup();
});

async function setup(files: Record<string, string> = {}) {
  const root = await dirs.make('ws-');
  const data = await dirs.make('db-');
  for (const [name, content] of Object.entries(files)) await writeFile(join(root, name), content);
  server = await startCollabTestServer({
    dbPath: join(data, 'collab.db'),
    workspaceRoot: root,
    writeDebounceMs: 50,
  });
  const url = server.collabUrl('s1');
  const open = (path: string, options: Parameters<typeof connectClient>[2] = {}) => {
    const client = connectClient(url, path, options);
    clients.push(client);
    return client;
  };
  return { root, server, open };
}

describe('CollabService', () => {
  it('serves a file to two clients, relays edits and writes them back to disk', async () => {
    const { root, server, open } = await setup({ 'a.txt': 'hello\n' });
    const a = open('a.txt');
    const b = open('a.txt', { user: 'bob' });
    await waitFor(() => a.text.toString() === 'hello\n' && b.text.toString() === 'hello\n');
    a.text.insert(5, ' world');
    await waitFor(() => b.text.toString() === 'hello world\n');
    await waitFor(async () => (await readFile(join(root, 'a.txt'), 'utf8')) === 'hello world\n');
    expect(server.service.stats()).toEqual({ rooms: 1, connections: 2 });
  });
});
