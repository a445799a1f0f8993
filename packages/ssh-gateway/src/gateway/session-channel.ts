import type { Disposable, Logger } from '@studios/base';
import type { ExecSession } from '@studios/runtime';
import type { PseudoTtyInfo, ServerChannel, Session } from 'ssh2';
import type { SshChannelKind, SshStudioSession } from '../gateway-backend';
import { bridgeExec, finishChannel } from './exec-bridge';
import { ClientEnvironment, type ConnectionEndpoints } from './session-env';

/** ssh2 passes `undefined` for accept/reject when the client did not ask for a reply. */
type Reply = (() => void) | undefined;
type Accept<T> = (() => T | undefined) | undefined;

export interface SessionChannelContext {
  studio: SshStudioSession;
  endpoints: ConnectionEndpoints;
  sftpServer: string[];
  log: Logger;
  traffic: (kind: SshChannelKind) => () => void;
  /**
   * Registers an open channel with its connection (presence, closing on revocation); returns
   * the release, which the connection also runs itself when it ends.
   */
  track: (channel: ServerChannel, kind: SshChannelKind) => () => void;
}

interface Terminal {
  term: string;
  cols: number;
  rows: number;
}

const MAX_TTY_SIDE = 10_000;

/** A PTY side in cells: 0 (a client that does not know) means the usual 80×24. */
function side(value: number, fallback: number): number {
  return Number.isInteger(value) && value > 0 ? Math.min(value, MAX_TTY_SIDE) : fallback;
}

/**
 * One `session` channel: collects pty and env requests, then runs exactly one shell, command or
 * sftp-server in the Studio and bridges it to the channel.
 */
export class SessionChannel implements Disposable {
  readonly #env = new ClientEnvironment();
  #terminal: Terminal | undefined;
  #exec: ExecSession | undefined;
  #started = false;
  #closed = false;

  constructor(
    session: Session,
    private readonly context: SessionChannelContext,
  ) {
    session.on('pty', (accept: Reply, reject: Reply, info: PseudoTtyInfo) => {
      if (this.#started) return reject?.();
      // Terminal modes are not applied: the Studio's PTY starts with the usual defaults.
      this.#terminal = { term: info.term || 'xterm', cols: side(info.cols, 80), rows: side(info.rows, 24) };
      accept?.();
    });
    session.on('window-change', (accept: Reply, _reject: Reply, info: { cols: number; rows: number }) => {
      if (this.#terminal) {
        this.#terminal.cols = side(info.cols, this.#terminal.cols);
        this.#terminal.rows = side(info.rows, this.#terminal.rows);
        this.#exec?.resize(this.#terminal.cols, this.#terminal.rows).catch((error: unknown) => {
          context.log.debug('ssh resize failed', { error: String(error) });
        });
      }
      accept?.();
    });
    session.on('env', (accept: Reply, reject: Reply, info: { key: string; val: string }) => {
      if (!this.#started && this.#env.set(info.key, info.val)) accept?.();
      else reject?.();
    });
    // Signals cannot be delivered through the runtime's exec interface; say so when asked.
    session.on('signal', (_accept: Reply, reject: Reply) => reject?.());
    session.on('auth-agent', (_accept: Reply, reject: Reply) => reject?.());
    session.on('x11', (_accept: Reply, reject: Reply) => reject?.());
    session.on('shell', (accept: Accept<ServerChannel>) => {
      this.#start(accept, 'shell', ['bash', '-l'], Boolean(this.#terminal));
    });
    session.on('exec', (accept: Accept<ServerChannel>, _reject: Reply, info: { command: string }) => {
      this.#start(accept, 'exec', ['bash', '-c', info.command], Boolean(this.#terminal));
    });
    session.on('subsystem', (accept: Accept<ServerChannel>, reject: Reply, info: { name: string }) => {
      if (info.name !== 'sftp') return reject?.();
      this.#start(accept, 'sftp', context.sftpServer, false);
    });
    session.on('close', () => this.dispose());
  }

  #start(accept: Accept<ServerChannel>, kind: SshChannelKind, cmd: string[], tty: boolean): void {
    if (this.#started || this.#closed) return;
    this.#started = true;
    const channel = accept?.();
    if (!channel) return;
    void this.#run(channel, kind, cmd, tty);
  }

  async #run(channel: ServerChannel, kind: SshChannelKind, cmd: string[], tty: boolean): Promise<void> {
    const { studio, log } = this.context;
    const release = this.context.track(channel, kind);
    channel.on('error', (error: Error) => log.debug('ssh channel error', { error: error.message }));
    channel.on('close', () => {
      release();
      this.dispose();
    });
    try {
      await studio.ready((line) => this.#notice(channel, line));
      if (this.#closed) return;
      const terminal = tty ? this.#terminal : undefined;
      const exec = await studio.exec({
        cmd,
        tty,
        env: this.#env.build(this.context.endpoints, terminal?.term),
        ...(terminal ? { cols: terminal.cols, rows: terminal.rows } : {}),
      });
      if (this.#closed) {
        exec.dispose();
        return;
      }
      this.#exec = exec;
      bridgeExec(channel, exec, { tty, onTraffic: this.context.traffic(kind) });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      log.info('ssh session could not start', { kind, error: message });
      this.#notice(channel, message);
      finishChannel(channel, 1);
    }
  }

  #notice(channel: ServerChannel, line: string): void {
    if (!this.#closed && channel.stderr.writable) channel.stderr.write(`${line}\r\n`);
  }

  /** The client closed the channel, or the connection ended: the process goes with it. */
  dispose(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#exec?.dispose();
    this.#exec = undefined;
  }
}
