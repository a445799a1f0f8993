import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { waitFor } from '@studios/testkit';
import { describe, expect, it } from 'vitest';
import { connectClient } from '../testing/collab-client';
import { useCollabEnv } from '../testing/collab-env';

const { dirs, clients, startServer } = useCollabEnv();

const lines = (n: number, label: string) =>
  Array.from({ length: n }, (_, i) => `${label} ${i + 1}\n`).join('');

async function setup(content: string, writeDebounceMs = 30) {
  const root = dirs.make('ws-');
  const dbPath = join(dirs.make('db-'), 'collab.db');
  await writeFile(join(root, 'app.ts'), content);
  const server = await startServer({ dbPath, workspaceRoot: root, writeDebounceMs, pollIntervalMs: 200 });
  const url = server.collabUrl('s1');
  const a = connectClient(url, 'app.ts', { user: 'ann' });
  const b = connectClient(url, 'app.ts', { user: 'ben' });
  clients.push(a, b);
  await waitFor(() => a.text.toString() === content && b.text.toString() === content);
  return { root, dbPath, server, a, b, file: join(root, 'app.ts') };
}

describe('external changes to an open file', () => {
  it('merges a checkout near the top with typing at the bottom: nothing is lost', async () => {
    const original = lines(30, 'line');
    // Saves are held back for a second, so the typing is not on disk when the file is rewritten.
    const { a, b, file, server } = await setup(original, 1000);
    const typed: string[] = [];
    let wrote = false;
    // Both users keep typing at the bottom while the file is rewritten underneath them.
    for (let i = 0; i < 40; i++) {
      const client = i % 2 === 0 ? a : b;
      const word = `w${i} `;
      typed.push(word);
      client.text.insert(client.text.length, word);
      if (i === 10) {
        // A checkout of a branch that differs at the top; the typing is not on disk yet.
        await writeFile(file, original.replace('line 1\nline 2\n', 'LINE ONE (from git)\nline 2 changed\n'));
        wrote = true;
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(wrote).toBe(true);
    const merged = await waitFor(
      () => {
        const text = a.text.toString();
        const done =
          text.startsWith('LINE ONE (from git)\nline 2 changed\n') && typed.every((w) => text.includes(w));
        return done && text === b.text.toString() ? text : null;
      },
      { timeoutMs: 10_000, what: 'disk change did not arrive' },
    );
    for (const word of typed) expect(merged).toContain(word);
    expect(merged.match(/line 3\n/g)).toHaveLength(1);
    await server.service.flushAll();
    expect(await readFile(file, 'utf8')).toBe(a.text.toString());
  });

  it('applies a git-style replace (new inode via rename) as a minimal diff', async () => {
    const { a, file, root } = await setup('one\ntwo\nthree\n');
    a.text.insert(a.text.length, 'four\n');
    await waitFor(async () => (await readFile(file, 'utf8')) === 'one\ntwo\nthree\nfour\n');
    await writeFile(join(root, '.app.ts.tmp'), 'one\n2\nthree\nfour\n');
    await rename(join(root, '.app.ts.tmp'), file);
    await waitFor(() => a.text.toString() === 'one\n2\nthree\nfour\n');
  });

  it('merges a change made while the document was closed when it is opened again', async () => {
    const { a, b, file, root, dbPath, server } = await setup('alpha\nbeta\n');
    a.text.insert(a.text.length, 'gamma\n');
    await waitFor(() => b.text.toString() === 'alpha\nbeta\ngamma\n');
    for (const client of clients.splice(0)) client.destroy();
    await waitFor(() => server.service.stats().rooms === 0);
    expect(await readFile(file, 'utf8')).toBe('alpha\nbeta\ngamma\n');

    await server.close();
    await writeFile(file, 'ALPHA\nbeta\ngamma\n');
    const restarted = await startServer({ dbPath, workspaceRoot: root, writeDebounceMs: 30 });
    const again = connectClient(restarted.collabUrl('s1'), 'app.ts', { user: 'ann' });
    clients.push(again);
    await waitFor(() => again.provider.synced);
    expect(again.text.toString()).toBe('ALPHA\nbeta\ngamma\n');
  });

  it('does not treat its own writes as external changes', async () => {
    const { a, file, server } = await setup('x\n');
    const saves: string[] = [];
    server.service.onSaved((event) => saves.push(event.path));
    // Only `a` types, so nothing may come back to it: a save mistaken for someone else's change
    // would be merged into the doc and broadcast to every client, the writer included.
    const fromServer: Uint8Array[] = [];
    a.doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin === a.provider) fromServer.push(update);
    });
    for (let i = 0; i < 20; i++) {
      a.text.insert(a.text.length, `${i}\n`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const expected = `x\n${Array.from({ length: 20 }, (_, i) => `${i}\n`).join('')}`;
    await waitFor(async () => (await readFile(file, 'utf8')) === expected);
    await waitFor(() => saves.length > 0);
    expect(a.text.toString()).toBe(expected);
    expect(fromServer).toEqual([]);
  });
});
