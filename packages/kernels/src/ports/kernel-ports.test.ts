import { statSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { tempDir, waitFor } from '@studios/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { type KernelPortNumbers, RelayedKernelPorts, type StudioPortDialer } from './kernel-ports';

const PORTS: KernelPortNumbers = { shell: 1, iopub: 2, stdin: 3, control: 4, hb: 5 };

// The relays between ZeroMQ's ipc:// endpoints and a Studio's ports, with an echo server playing
// the Studio: private folder, bytes both ways, failures contained, nothing left after dispose.
describe('RelayedKernelPorts', () => {
  const cleanups: Array<() => void> = [];
  afterEach(() => {
    for (const cleanup of cleanups.splice(0)) cleanup();
  });

  function echoStudio(): { dial: StudioPortDialer; dialled: Array<[string, number]>; remotes: Set<Socket> } {
    const remotes = new Set<Socket>();
    const server: Server = createServer((socket) => {
      remotes.add(socket);
      socket.on('close', () => remotes.delete(socket));
      socket.pipe(socket);
    });
    const temp = tempDir('studios-echo-');
    const path = join(temp.dir, 'echo');
    server.listen(path);
    cleanups.push(() => {
      server.close();
      temp.cleanup();
    });
    const dialled: Array<[string, number]> = [];
    const dial: StudioPortDialer = async (studioId, port) => {
      dialled.push([studioId, port]);
      if (port === PORTS.hb) throw new Error('nothing listens');
      return connect(path);
    };
    return { dial, dialled, remotes };
  }

  it('relays each connection to its port, from a folder only the server can enter', async () => {
    const studio = echoStudio();
    const folder = tempDir('studios-kernel-ports-');
    cleanups.push(folder.cleanup);
    const ports = new RelayedKernelPorts({ dial: studio.dial, folder: join(folder.dir, 'kernels') });
    const handle = await ports.open('s1', PORTS);
    expect(statSync(join(folder.dir, 'kernels')).mode & 0o777).toBe(0o700);
    const shellPath = handle.endpoints.shell.replace(/^ipc:\/\//, '');
    expect(statSync(join(shellPath, '..')).mode & 0o777).toBe(0o700);

    const client = connect(shellPath);
    client.write('ping');
    const echoed = await new Promise<string>((resolve) =>
      client.once('data', (data) => resolve(data.toString())),
    );
    expect(echoed).toBe('ping');
    expect(studio.dialled).toEqual([['s1', 1]]);

    // A port nothing listens on: the local connection is closed (ZeroMQ retries), nothing throws.
    const refused = connect(handle.endpoints.hb.replace(/^ipc:\/\//, ''));
    await new Promise((resolve) => refused.once('close', resolve));

    handle.dispose();
    expect(handle.openConnections).toBe(0);
    await new Promise((resolve) => client.once('close', resolve));
    await waitFor(() => studio.remotes.size === 0, { what: 'the Studio side closed' });
    await waitFor(async () => (await readdir(join(folder.dir, 'kernels'))).length === 0, {
      what: 'the folder removed',
    });
  });

  it('refuses a data folder whose socket paths would not fit', async () => {
    const folder = tempDir('studios-kernel-ports-');
    cleanups.push(folder.cleanup);
    const ports = new RelayedKernelPorts({
      dial: echoStudio().dial,
      folder: join(folder.dir, 'x'.repeat(90)),
    });
    await expect(ports.open('s1', PORTS)).rejects.toThrow(/too long/);
    expect(await readdir(join(folder.dir, 'x'.repeat(90)))).toEqual([]);
  });

  it('removes socket folders a killed server left behind', async () => {
    const folder = tempDir('studios-kernel-ports-');
    cleanups.push(folder.cleanup);
    const kernels = join(folder.dir, 'kernels');
    const before = new RelayedKernelPorts({ dial: echoStudio().dial, folder: kernels });
    const orphan = await before.open('s1', PORTS); // not disposed in time: the server died
    expect(await readdir(kernels)).toHaveLength(1);
    await new RelayedKernelPorts({ dial: echoStudio().dial, folder: kernels }).removeLeftovers();
    expect(await readdir(kernels)).toEqual([]);
    orphan.dispose();
  });
});
