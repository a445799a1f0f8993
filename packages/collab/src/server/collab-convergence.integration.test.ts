import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { waitFor } from '@studios/testkit';
import { describe, expect, it } from 'vitest';
import { connectClient, type TestClient } from '../testing/collab-client';
import { useCollabEnv } from '../testing/collab-env';
import { mulberry32 } from '../testing/seeded-random';

const { dirs, clients, startServer } = useCollabEnv();

describe('five stock y-websocket clients with random disconnects', () => {
  it.each([1, 2, 3])('converge, and the file equals the doc after a flush (seed %i)', async (seed) => {
    const random = mulberry32(seed);
    const root = dirs.make('ws-');
    await writeFile(join(root, 'notes.md'), '# Notes\nstart\n');
    const server = await startServer({
      dbPath: join(dirs.make('db-'), 'collab.db'),
      workspaceRoot: root,
      writeDebounceMs: 20,
    });
    const url = server.collabUrl('s1');
    for (let i = 0; i < 5; i++) clients.push(connectClient(url, 'notes.md', { user: `user${i}` }));
    await waitFor(() => clients.every((client) => client.provider.synced));

    for (let step = 0; step < 300; step++) {
      const client = clients[Math.floor(random() * clients.length)] as TestClient;
      const roll = random();
      if (roll < 0.05) {
        if (client.provider.wsconnected) client.provider.disconnect();
        else client.provider.connect();
      } else if (roll < 0.7 || client.text.length === 0) {
        const at = Math.floor(random() * (client.text.length + 1));
        client.text.insert(
          at,
          `${String.fromCharCode(97 + Math.floor(random() * 26))}${random() < 0.1 ? '\n' : ''}`,
        );
      } else {
        const at = Math.floor(random() * client.text.length);
        client.text.delete(at, Math.min(1 + Math.floor(random() * 3), client.text.length - at));
      }
      if (step % 25 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    for (const client of clients) if (!client.provider.wsconnected) client.provider.connect();

    const expected = await waitFor(
      () => {
        const texts = clients.map((client) => client.text.toString());
        return clients.every((client) => client.provider.synced) && texts.every((text) => text === texts[0])
          ? texts[0]
          : undefined;
      },
      { timeoutMs: 15_000, what: 'clients did not converge' },
    );
    await server.service.flushAll();
    expect(await readFile(join(root, 'notes.md'), 'utf8')).toBe(expected);
  });
});
