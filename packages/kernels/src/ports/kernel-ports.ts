import { chmod, mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import { type Disposable, type Logger, silentLogger } from '@studios/base';
import { ErrorCode, StudiosError } from '@studios/protocol';
import { KERNEL_CHANNELS, type KernelChannel, type KernelEndpoints } from '../client/kernel-sockets';

/** A kernel's five TCP ports on the Studio's own 127.0.0.1 (its connection file). */
export type KernelPortNumbers = Readonly<Record<KernelChannel, number>>;

/**
 * Opens a TCP connection to 127.0.0.1:`port` inside the Studio. On the server this is the
 * Studio agent's `port.connect` (`agents.files(studioId).connectPort(port)`): the server never
 * dials a Studio's ports itself.
 */
export type StudioPortDialer = (studioId: string, port: number) => Promise<Duplex>;

/** ZeroMQ endpoints on the server that lead to a kernel's ports; disposing closes every relay. */
export interface KernelPortHandle extends Disposable {
  readonly endpoints: KernelEndpoints;
  /** Relayed connections open now (tests assert none is left after dispose). */
  readonly openConnections: number;
}

/** Makes a kernel's ports reachable as ZeroMQ endpoints (behind an interface so tests can swap it). */
export interface KernelPorts {
  open(studioId: string, ports: KernelPortNumbers): Promise<KernelPortHandle>;
  /** Clears what a killed server left behind; run once at boot, before any kernel is opened. */
  removeLeftovers?(): Promise<void>;
}

/** Unix socket paths longer than this do not fit `sockaddr_un` on Linux (108 bytes with the NUL). */
const MAX_SOCKET_PATH = 100;

/** Each kernel's socket folder: `<folder>/k-XXXXXX/<channel>`. */
const FOLDER_PREFIX = 'k-';

/**
 * Each kernel port becomes a Unix socket in a private folder (0700, under the server's data
 * dir), so only the server's user can reach it; ZeroMQ connects there with `ipc://`, and each
 * accepted connection is relayed to the port inside the Studio through `dial`. A relay that drops
 * (agent restart) is simply redialled: ZeroMQ reconnects by itself.
 */
export class RelayedKernelPorts implements KernelPorts {
  readonly #dial: StudioPortDialer;
  readonly #folder: string;
  readonly #log: Logger;

  /** `folder`: where the per-kernel socket folders go, e.g. `<dataDir>/kernels`. */
  constructor(options: { dial: StudioPortDialer; folder: string; log?: Logger }) {
    this.#dial = options.dial;
    this.#folder = options.folder;
    this.#log = options.log ?? silentLogger;
  }

  /**
   * Removes socket folders a previous server process left behind (it was killed before it could
   * close them). Call once at boot, before any kernel is opened or reattached.
   */
  async removeLeftovers(): Promise<void> {
    const entries = await readdir(this.#folder).catch(() => []);
    await Promise.all(
      entries
        .filter((name) => name.startsWith(FOLDER_PREFIX))
        .map((name) => rm(join(this.#folder, name), { recursive: true, force: true })),
    );
  }

  async open(studioId: string, ports: KernelPortNumbers): Promise<KernelPortHandle> {
    await mkdir(this.#folder, { recursive: true, mode: 0o700 });
    await chmod(this.#folder, 0o700);
    const folder = await mkdtemp(join(this.#folder, FOLDER_PREFIX));
    if (join(folder, 'control').length > MAX_SOCKET_PATH) {
      await rm(folder, { recursive: true, force: true });
      throw new StudiosError(
        ErrorCode.Internal,
        `The data folder's path is too long for kernel sockets: ${folder}`,
      );
    }
    const connections = new Set<Socket | Duplex>();
    const servers: Server[] = [];
    const endpoints = {} as Record<KernelChannel, string>;
    try {
      for (const channel of KERNEL_CHANNELS) {
        const path = join(folder, channel);
        const server = createServer((socket) => this.#relay(studioId, ports[channel], socket, connections));
        servers.push(server);
        await new Promise<void>((resolve, reject) => {
          server.once('error', reject);
          server.listen(path, resolve);
        });
        endpoints[channel] = `ipc://${path}`;
      }
    } catch (error) {
      for (const server of servers) server.close();
      await rm(folder, { recursive: true, force: true });
      throw error;
    }
    let disposed = false;
    return {
      endpoints,
      get openConnections() {
        return connections.size;
      },
      dispose: () => {
        if (disposed) return;
        disposed = true;
        for (const server of servers) server.close();
        for (const connection of connections) connection.destroy();
        connections.clear();
        void rm(folder, { recursive: true, force: true });
      },
    };
  }

  #relay(studioId: string, port: number, local: Socket, connections: Set<Socket | Duplex>): void {
    connections.add(local);
    local.on('close', () => connections.delete(local));
    local.on('error', () => local.destroy());
    local.pause();
    this.#dial(studioId, port).then(
      (remote) => {
        if (local.destroyed) {
          remote.destroy();
          return;
        }
        connections.add(remote);
        const end = () => {
          local.destroy();
          remote.destroy();
        };
        remote.on('close', () => {
          connections.delete(remote);
          end();
        });
        remote.on('error', end);
        local.on('close', end);
        local.pipe(remote).pipe(local);
        local.resume();
      },
      (error: unknown) => {
        // The kernel is not listening (yet, or any more): ZeroMQ retries on its own.
        this.#log.debug('kernel port relay failed', { studioId, port, error: String(error) });
        local.destroy();
      },
    );
  }
}
