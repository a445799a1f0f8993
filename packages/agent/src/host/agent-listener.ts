import { chmod, mkdir, rm } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { dirname } from 'node:path';
import type { Disposable } from '@studios/base';

/** Longest path a Unix socket address can hold on Linux (sun_path, with its NUL). */
const MAX_SOCKET_PATH = 107;

/**
 * The server's listening socket for one Studio's agent, in a folder only the server writes and
 * the Studio mounts read-only. Anyone in the Studio can connect (it is their Studio); what a
 * connection may do is decided by its hello (the token of the current start).
 */
export class AgentListener implements Disposable {
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();

  private constructor(server: Server) {
    this.#server = server;
  }

  static async listen(path: string, onSocket: (socket: Socket) => void): Promise<AgentListener> {
    if (Buffer.byteLength(path) > MAX_SOCKET_PATH) {
      throw new Error(
        `The agent socket path ${path} is longer than ${MAX_SOCKET_PATH} bytes; use a shorter STUDIOS_DATA_DIR.`,
      );
    }
    await mkdir(dirname(path), { recursive: true, mode: 0o755 });
    // A socket file left by a previous server: ours to replace (the folder is ours).
    await rm(path, { force: true });
    const server = createServer();
    const listener = new AgentListener(server);
    server.on('connection', (socket) => {
      listener.#sockets.add(socket);
      socket.once('close', () => listener.#sockets.delete(socket));
      onSocket(socket);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(path, () => resolve());
    });
    // The Studio user (uid 1000, or the local runtime's user) connects; connecting needs write access.
    await chmod(path, 0o666);
    return listener;
  }

  dispose(): void {
    for (const socket of this.#sockets) socket.destroy();
    this.#server.close();
  }
}
