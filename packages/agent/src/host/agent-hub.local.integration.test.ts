import { readFile, symlink, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { type AgentTreeChange, ErrorCode } from '@studios/protocol';
import { LocalDriver } from '@studios/runtime';
import { waitFor } from '@studios/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentDataDir, testAgentHub } from '../testing/agent-fixture';
import type { AgentHub } from './agent-hub';

// The agent for real, as the local runtime runs it: a child process rooted at the workspace,
// connected over its Unix socket, every operation through the protocol.
describe('Studio agent (local runtime)', () => {
  let data: Awaited<ReturnType<typeof agentDataDir>>;
  let hub: AgentHub;
  let workspace: string;
  let driver: LocalDriver;
  const studioId = 'agent-local-1';

  beforeAll(async () => {
    data = await agentDataDir();
    const { agentHostPaths } = await import('../host/agent-runtime');
    driver = new LocalDriver({ agent: agentHostPaths(data.dataDir) });
    const made = testAgentHub(driver, data.dataDir);
    hub = made.hub;
    workspace = made.spec(studioId).workspaceDir;
  });

  afterAll(async () => {
    hub?.dispose();
    await driver?.dispose();
    data?.cleanup();
  });

  it('creates, writes, lists, reads, moves and removes files inside the workspace', async () => {
    const files = hub.files(studioId);
    expect((await files.createDirectory('src')).kind).toBe('directory');
    const written = await files.write('src/main.py', Buffer.from('print("hi")\n'), { maxBytes: 1024 });
    expect(written).toMatchObject({ path: 'src/main.py', kind: 'file', size: 12 });
    expect(await readFile(join(workspace, 'src/main.py'), 'utf8')).toBe('print("hi")\n');

    const { entries, truncated } = await files.list();
    expect(truncated).toBe(false);
    expect(entries.map((entry) => `${entry.kind}:${entry.path}`)).toEqual([
      'directory:src',
      'file:src/main.py',
    ]);

    const { entry, stream } = await files.read('src/main.py');
    expect(entry.size).toBe(12);
    expect(await text(stream)).toBe('print("hi")\n');

    expect((await files.move('src/main.py', 'app.py')).path).toBe('app.py');
    await files.remove('src');
    expect((await files.list()).entries.map((e) => e.path)).toEqual(['app.py']);
  });

  it('streams a large upload and download through flow control, byte for byte', async () => {
    const files = hub.files(studioId);
    const chunk = Buffer.alloc(1024 * 1024);
    for (let i = 0; i < chunk.length; i++) chunk[i] = (i * 7) % 251;
    const chunks = Array.from({ length: 24 }, () => chunk);
    await files.write('big.bin', Readable.from(chunks), { maxBytes: 100 * 1024 * 1024 });
    const { entry, stream } = await files.read('big.bin');
    expect(entry.size).toBe(24 * chunk.length);
    let received = 0;
    let same = true;
    for await (const part of stream as AsyncIterable<Buffer>) {
      for (let i = 0; i < part.length; i += 4099) {
        if (part[i] !== chunk[(received + i) % chunk.length]) same = false;
      }
      received += part.length;
    }
    expect(received).toBe(24 * chunk.length);
    expect(same).toBe(true);
  });

  it('refuses paths outside the workspace with named errors, in the agent as well as here', async () => {
    const files = hub.files(studioId);
    await symlink('/etc/hostname', join(workspace, 'escape'));
    await expect(files.read('escape')).rejects.toMatchObject({ code: ErrorCode.PathOutsideWorkspace });
    await expect(files.stat('../outside')).rejects.toMatchObject({ code: ErrorCode.PathOutsideWorkspace });
    await expect(files.stat('missing.txt')).rejects.toMatchObject({ code: ErrorCode.NotFound });
    await expect(files.write('too-big.bin', Buffer.alloc(2048), { maxBytes: 1024 })).rejects.toMatchObject({
      code: ErrorCode.FileTooLarge,
    });
  });

  it('reads, stamps and writes live documents, and removes only its own file', async () => {
    const files = hub.files(studioId);
    await writeFile(join(workspace, 'doc.md'), '# Title\n');
    const read = await files.readDocument('doc.md', 1024);
    expect(read.file.kind).toBe('text');
    expect(read.text).toBe('# Title\n');
    const stamp = await files.writeDocument(
      'doc.md',
      '# Title\nmore\n',
      read.file.kind === 'text' ? read.file.stamp : null,
    );
    expect(await readFile(join(workspace, 'doc.md'), 'utf8')).toBe('# Title\nmore\n');
    expect((await files.documentStamp('doc.md'))?.ino).toBe(stamp.ino);
    expect(await files.removeIfSame('doc.md', stamp.ino + 1)).toBe(false);
    expect(await files.removeIfSame('doc.md', stamp.ino)).toBe(true);
    expect(await files.documentStamp('doc.md')).toBeNull();
    await writeFile(join(workspace, 'bin.dat'), Buffer.from([0, 1, 2]));
    expect((await files.readDocument('bin.dat', 1024)).file).toEqual({
      kind: 'unsupported',
      reason: 'binary file',
    });
  });

  it('reports tree changes made outside the server', async () => {
    const seen: AgentTreeChange[] = [];
    await hub.files(studioId).stat('app.py'); // an agent runs: the passive watch attaches to it
    const watch = hub.watch(
      studioId,
      (changes) => seen.push(...changes),
      () => {},
    );
    try {
      await waitFor(
        async () => {
          await writeFile(join(workspace, `touched-${seen.length}.txt`), 'x');
          return seen.some((change) => change.kind === 'added' && change.path.startsWith('touched-'));
        },
        { timeoutMs: 10_000, intervalMs: 300, what: 'a tree change from the agent' },
      );
    } finally {
      watch.dispose();
    }
  });

  it('serves reads, cancelled downloads and saves side by side without one closing another’s file', {
    timeout: 60_000,
  }, async () => {
    const files = hub.files(studioId);
    await writeFile(join(workspace, 'shared.txt'), 'x'.repeat(256 * 1024));
    const failures: unknown[] = [];
    const loop = async (step: (i: number) => Promise<void>) => {
      for (let i = 0; i < 100; i++) await step(i).catch((error: unknown) => failures.push(error));
    };
    await Promise.all([
      loop(async () => {
        expect((await text((await files.read('shared.txt')).stream)).length).toBe(256 * 1024);
      }),
      loop(async () => {
        // A download the client gives up on after its first bytes.
        const { stream } = await files.read('shared.txt');
        await new Promise<void>((resolve, reject) => {
          stream.once('data', () => resolve());
          stream.once('error', reject);
        });
        stream.destroy();
      }),
      loop(async (i) => {
        await files.writeDocument('saved.md', `save ${i}\n`);
      }),
    ]);
    expect(failures).toEqual([]);
    expect(await readFile(join(workspace, 'saved.md'), 'utf8')).toBe('save 99\n');
  });

  it('connects to a port on the Studio loopback', async () => {
    const server = createServer((socket) => socket.end('hello from the studio\n'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    try {
      const stream = await hub.files(studioId).connectPort(port);
      expect(await text(stream)).toBe('hello from the studio\n');
      const closedPort = port === 65535 ? 65534 : port + 1;
      await expect(hub.files(studioId).connectPort(closedPort)).rejects.toMatchObject({
        code: ErrorCode.NotFound,
      });
    } finally {
      server.close();
    }
  });
});
