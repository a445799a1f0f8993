import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CloseCode } from '@studios/protocol';
import { waitFor } from '@studios/testkit';
import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import { connectClient } from '../testing/collab-client';
import { useCollabEnv } from '../testing/collab-env';
import { insertUpdate, syncFrame, updateFrame } from '../testing/frames';
import { openRawSocket } from '../testing/raw-socket';

const { dirs, clients, raws, startServer } = useCollabEnv();

async function setup(files: Record<string, string | Buffer> = { 'a.txt': 'base\n' }) {
  const root = dirs.make('ws-');
  for (const [name, content] of Object.entries(files)) await writeFile(join(root, name), content);
  const server = await startServer({
    dbPath: join(dirs.make('db-'), 'collab.db'),
    workspaceRoot: root,
    writeDebounceMs: 20,
    maxPayload: 64 * 1024,
  });
  const url = server.collabUrl('s1');
  const open = (path: string, user: string) => {
    const client = connectClient(url, path, { user });
    clients.push(client);
    return client;
  };
  const raw = (path = 'a.txt') => {
    const socket = openRawSocket(url, path);
    raws.push(socket);
    return socket;
  };
  return { root, url, open, raw, service: server.service };
}

/** A Yjs update claiming 2^40 client sections: decoding must fail fast, not loop. */
function hugeCountUpdate(): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 2 ** 40);
  encoding.writeVarUint(encoder, 1);
  return encoding.toUint8Array(encoder);
}

describe('malformed and oversized frames', () => {
  const truncated = updateFrame(insertUpdate('some text that will be cut')).slice(0, 12);
  const garbageUpdate = updateFrame(new Uint8Array([1, 1, 200, 3, 0, 4, 255, 255, 255, 9]));
  const cases: Array<[string, Uint8Array, number]> = [
    ['random bytes', new Uint8Array([0xff, 0xfe, 0x13, 0x37, 0x00, 0x99]), CloseCode.BadMessage],
    ['a truncated update', truncated, CloseCode.BadMessage],
    ['an update that does not decode', garbageUpdate, CloseCode.BadMessage],
    ['a huge-count update', updateFrame(hugeCountUpdate()), CloseCode.BadMessage],
    ['an unknown message type', syncFrame((e) => encoding.writeVarUint(e, 9)), CloseCode.BadMessage],
    ['a frame above maxPayload', new Uint8Array(65 * 1024), CloseCode.MessageTooBig],
  ];

  it.each(cases)(
    '%s closes only the sender; the doc is unchanged and others keep syncing',
    async (_name, frame, code) => {
      const { open, raw } = await setup();
      const a = open('a.txt', 'ann');
      const b = open('a.txt', 'ben');
      await waitFor(() => a.provider.synced && b.provider.synced);
      const attacker = raw();
      await attacker.opened;
      attacker.send(frame);
      expect((await attacker.closed).code).toBe(code);

      a.text.insert(a.text.length, 'still syncing\n');
      await waitFor(() => b.text.toString() === 'base\nstill syncing\n');
      expect(a.provider.wsconnected && b.provider.wsconnected).toBe(true);
    },
  );
});

describe('room lifecycle', () => {
  it('unloads every room after 200 connect/disconnect cycles over 20 docs', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 20; i++) files[`doc${i}.txt`] = `doc ${i}\n`;
    const { raw, service } = await setup(files);
    for (let cycle = 0; cycle < 10; cycle++) {
      const sockets = Array.from({ length: 20 }, (_, i) => raw(`doc${i}.txt`));
      await Promise.all(sockets.map((socket) => waitFor(() => socket.frames.length > 0)));
      for (const socket of sockets) socket.ws.close();
      await Promise.all(sockets.map((socket) => socket.closed));
    }
    await waitFor(() => service.stats().rooms === 0, { what: `rooms left: ${service.stats().rooms}` });
    expect(service.stats()).toEqual({ rooms: 0, connections: 0 });
  });

  it('refuses binary and oversized files with 4415 and keeps no room', async () => {
    const root = dirs.make('ws-');
    await writeFile(join(root, 'image.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x1a]));
    await writeFile(join(root, 'latin1.txt'), Buffer.from([0x63, 0x61, 0x66, 0xe9]));
    await writeFile(join(root, 'big.txt'), 'x'.repeat(2048));
    const server = await startServer({
      dbPath: join(dirs.make('db-'), 'collab.db'),
      workspaceRoot: root,
      maxDocumentBytes: 1024,
    });
    const url = server.collabUrl('s1');
    for (const [path, reason] of [
      ['image.png', 'binary file'],
      ['latin1.txt', 'binary file'],
      ['big.txt', 'file larger than 1 KB'],
    ] as const) {
      const socket = openRawSocket(url, path);
      raws.push(socket);
      expect(await socket.closed).toEqual({ code: CloseCode.UnsupportedDocument, reason });
    }
    const service = server.service;
    await waitFor(() => service.stats().rooms === 0);
  });

  it('opens a missing file as an empty doc and creates the file on the first edit', async () => {
    const { root, open } = await setup({});
    const client = open('new/file.ts', 'ann');
    await waitFor(() => client.provider.synced);
    expect(client.text.toString()).toBe('');
    client.text.insert(0, 'export {};\n');
    await waitFor(async () => (await readFile(join(root, 'new/file.ts'), 'utf8')) === 'export {};\n');
  });

  it('refuses a path outside the workspace', async () => {
    const { url } = await setup();
    const socket = openRawSocket(url, '../etc/passwd');
    raws.push(socket);
    expect((await socket.closed).code).toBe(CloseCode.NotFound);
  });
});
