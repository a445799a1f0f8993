import { type AddressInfo, createServer, type Server as NetServer, type Socket } from 'node:net';
import { type Clock, type Logger, silentLogger, systemClock } from '@studios/base';
import type { ClientInfo, Connection } from 'ssh2';
import ssh2 from 'ssh2';
import type { SshGatewayBackend } from '../gateway-backend';
import type { HostKey } from '../keys/host-key';
import { GatewayConnection } from './gateway-connection';
import { GATEWAY_LIMITS } from './limits';

export interface SshGatewayOptions {
  hostKey: HostKey;
  backend: SshGatewayBackend;
  /** Address to bind; `0.0.0.0` by default. */
  host?: string;
  /** 0 picks a free port (tests). */
  port: number;
  log?: Logger;
  clock?: Clock;
  /** The sftp subsystem's argv inside the Studio; default `['/usr/lib/openssh/sftp-server']`. */
  sftpServer?: string[];
}

const DEFAULT_SFTP_SERVER = ['/usr/lib/openssh/sftp-server'];

/** The SSH server: public-key logins into Studios, sessions and forwarding through the backend. */
export class SshGateway {
  readonly #log: Logger;
  readonly #clock: Clock;
  /** Every accepted TCP socket, by `address|port`, so the SSH connection can find its own. */
  readonly #sockets = new Map<string, Socket>();
  readonly #connections = new Set<GatewayConnection>();
  /** Sockets whose client got as far as identifying itself (an SSH connection exists). */
  readonly #identified = new WeakSet<Socket>();
  #listener: NetServer | undefined;

  constructor(readonly options: SshGatewayOptions) {
    this.#log = (options.log ?? silentLogger).child({ feature: 'ssh-gateway' });
    this.#clock = options.clock ?? systemClock;
  }

  /** Starts listening; resolves with the bound port. */
  async listen(): Promise<number> {
    if (this.#listener) throw new Error('The SSH gateway is already listening.');
    const ssh = new ssh2.Server({
      hostKeys: [this.options.hostKey.privateKey],
      ident: 'Studios',
      // ssh2 probes a silent client with keepalive@openssh.com and ends it after too many misses.
      keepaliveInterval: GATEWAY_LIMITS.keepaliveIntervalMs,
      keepaliveCountMax: GATEWAY_LIMITS.keepaliveCountMax,
    });
    ssh.on('connection', (client: Connection, info: ClientInfo) => this.#accept(client, info));
    ssh.on('error', (error: Error) => this.#log.warn('ssh server error', { error: error.message }));
    // Our own listener hands sockets to ssh2, so the rate limit applies before a single byte of
    // SSH is parsed and close() can reach every socket, logged in or not.
    const listener = createServer({ noDelay: true }, (socket) => this.#admit(socket, ssh));
    this.#listener = listener;
    await new Promise<void>((resolve, reject) => {
      listener.once('error', reject);
      listener.listen(this.options.port, this.options.host ?? '0.0.0.0', () => {
        listener.off('error', reject);
        resolve();
      });
    });
    listener.on('error', (error) => this.#log.error('ssh listener error', { error: error.message }));
    const { port } = listener.address() as AddressInfo;
    this.#log.info('ssh gateway listening', { port, fingerprint: this.options.hostKey.fingerprint });
    return port;
  }

  #admit(socket: Socket, ssh: ssh2.Server): void {
    socket.on('error', (error) => this.#log.debug('ssh socket error', { error: error.message }));
    const remoteAddress = socket.remoteAddress ?? '';
    let allowed = false;
    try {
      allowed = this.options.backend.allowAttempt(remoteAddress);
    } catch (error) {
      this.#log.error('ssh allowAttempt failed', { error: String(error) });
    }
    if (!allowed) {
      this.#log.info('ssh connection refused by rate limit', { remoteAddress });
      socket.destroy();
      return;
    }
    const key = socketKey(remoteAddress, socket.remotePort ?? 0);
    this.#sockets.set(key, socket);
    socket.once('close', () => {
      if (this.#sockets.get(key) === socket) this.#sockets.delete(key);
    });
    // Until the client identifies itself ssh2 emits nothing we can hang a timer on: bound the
    // whole pre-login phase here (the connection's own timer takes over once it exists).
    const grace = this.#clock.setTimeout(() => {
      if (!this.#identified.has(socket)) socket.destroy();
    }, GATEWAY_LIMITS.loginGraceMs);
    socket.once('close', () => grace.dispose());
    ssh.injectSocket(socket);
  }

  #accept(client: Connection, info: ClientInfo): void {
    const socket = this.#sockets.get(socketKey(info.ip, info.port));
    if (!socket) {
      client.on('error', () => {});
      client.end();
      return;
    }
    this.#identified.add(socket);
    const connection: GatewayConnection = new GatewayConnection(client, info, socket, {
      backend: this.options.backend,
      log: this.#log,
      clock: this.#clock,
      sftpServer: this.options.sftpServer ?? DEFAULT_SFTP_SERVER,
      onClosed: () => this.#connections.delete(connection),
    });
    this.#connections.add(connection);
  }

  /** Stops accepting and ends every connection. */
  async close(): Promise<void> {
    const listener = this.#listener;
    if (!listener) return;
    this.#listener = undefined;
    const closed = new Promise<void>((resolve) => listener.close(() => resolve()));
    // Connections say goodbye (stderr, SSH disconnect) and cut their sockets after a grace;
    // sockets still in the handshake have nobody to tell.
    for (const connection of [...this.#connections]) connection.close('The SSH gateway is shutting down');
    for (const socket of this.#sockets.values()) {
      if (!this.#identified.has(socket)) socket.destroy();
    }
    await closed;
  }
}

function socketKey(address: string, port: number): string {
  return `${address}|${port}`;
}
