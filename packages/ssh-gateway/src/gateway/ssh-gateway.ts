import { type AddressInfo, createServer } from 'node:net';
import type { Clock, Logger } from '@studios/base';
import type { SshGatewayBackend } from '../gateway-backend';
import type { HostKey } from '../keys/host-key';

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

/** The SSH server: public-key logins into Studios, sessions and forwarding through the backend. */
export class SshGateway {
  // Placeholder until the SSH protocol side lands: listens and hangs up.
  readonly #server = createServer((socket) => socket.destroy());
  constructor(readonly options: SshGatewayOptions) {}
  /** Starts listening; resolves with the bound port. */
  async listen(): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(this.options.port, this.options.host ?? '0.0.0.0', resolve);
    });
    return (this.#server.address() as AddressInfo).port;
  }
  /** Stops accepting and ends every connection. */
  async close(): Promise<void> {
    await new Promise((resolve) => this.#server.close(resolve));
  }
}
