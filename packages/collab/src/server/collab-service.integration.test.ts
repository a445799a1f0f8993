import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { waitFor } from '@studios/testkit';
import { describe, expect, it } from 'vitest';
import { connectClient } from '../testing/collab-client';
import { useCollabEnv } from '../testing/collab-env';

const { dirs, clients, startServer } = useCollabEnv();

async function setup(files: Record<string, string> = {}) {
  const root = dirs.make('ws-');
  const data = dirs.make('db-');
  for (const [name, content] of Object.entries(files)) await writeFile(join(root, name), content);
  const server = await startServer({
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
