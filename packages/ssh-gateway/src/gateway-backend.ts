import type { Duplex } from 'node:stream';
import type { Disposable } from '@studios/base';
import type { ExecOptions, ExecSession } from '@studios/runtime';

/**
 * What the SSH gateway asks of the server. The gateway speaks SSH (ssh2: keys, signatures,
 * channels); the server decides who may enter which Studio and how a Studio runs processes and
 * reaches its ports. Nothing here is ssh2's.
 */
export interface SshGatewayBackend {
  /**
   * May this source try to log in now? (Rate limit per source address.) `false` ends the
   * connection before any key is looked at.
   */
  allowAttempt(remoteAddress: string): boolean;
  /**
   * Who offers this key for this user name. Called twice per login with OpenSSH: once for the
   * key alone ("would you accept it?") and once after the gateway has verified the signature.
   * `null` refuses: an unknown key, an unknown Studio, a viewer or a stranger get the same
   * answer, so nothing is learned about which Studios exist.
   */
  authorize(attempt: SshLoginAttempt): Promise<SshPrincipal | null>;
  /**
   * A login succeeded (signature verified, `authorize` said yes): the server registers the
   * connection (presence, live revocation) and returns what its channels run on. `control.close`
   * ends the whole connection (revocation: member removed, key deleted, Studio deleted).
   */
  connect(principal: SshPrincipal, control: SshConnectionControl): SshStudioSession;
}

export interface SshLoginAttempt {
  /** The SSH user name: a Studio's id or slug. */
  username: string;
  /** The key's algorithm as the client named it (`ssh-ed25519`, `ssh-rsa`, `ecdsa-sha2-nistp256`…). */
  algorithm: string;
  /** The public key blob in SSH wire format (what `ssh-keygen -f key.pub` base64-decodes to). */
  keyBlob: Buffer;
  remoteAddress: string;
}

/** An authorized login: whose key, for which Studio. Opaque to the gateway beyond these fields. */
export interface SshPrincipal {
  userId: string;
  userName: string;
  keyId: string;
  studioId: string;
  studioName: string;
}

/** What the server may do to one live connection. */
export interface SshConnectionControl {
  readonly id: string;
  readonly remoteAddress: string;
  /** The client's identification string (`SSH-2.0-OpenSSH_9.2p1 …` without the `SSH-2.0-`). */
  readonly clientVersion: string;
  /** Ends the connection and every channel on it; `reason` goes to the log (and stderr where possible). */
  close(reason: string): void;
}

export type SshChannelKind = 'shell' | 'exec' | 'sftp' | 'forward';

/**
 * One authenticated connection's view of its Studio. Disposed when the connection ends.
 */
export interface SshStudioSession extends Disposable {
  /**
   * Resolves once the Studio can run processes, waking a sleeping one. Progress lines ("Starting
   * Studio 'x'…") go to `notice`, which the gateway writes to the channel's stderr. Rejects with a
   * StudiosError whose message the gateway shows on stderr before closing the channel.
   */
  ready(notice: (line: string) => void): Promise<void>;
  /** Runs a process in the Studio as its user (`RuntimeDriver.exec`). */
  exec(options: ExecOptions): Promise<ExecSession>;
  /** A TCP connection to `127.0.0.1:<port>` inside the Studio (the agent's `port.connect`). */
  connectPort(port: number): Promise<Duplex>;
  /** Bytes moved on a channel (typing, output, transfers): counts as activity for idle sleep. */
  activity(kind: SshChannelKind): void;
  /** A channel opened or closed, for the presence list. */
  channelOpened(kind: SshChannelKind): Disposable;
}
