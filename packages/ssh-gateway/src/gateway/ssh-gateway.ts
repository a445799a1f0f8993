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
  constructor(readonly options: SshGatewayOptions) {}
  /** Starts listening; resolves with the bound port. */
  async listen(): Promise<number> {
    throw new Error('not implemented yet');
  }
  /** Stops accepting and ends every connection. */
  async close(): Promise<void> {}
}
