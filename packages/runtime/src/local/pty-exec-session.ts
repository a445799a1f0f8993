import { type Disposable, ListenerSet } from '@studios/base';
import * as pty from 'node-pty';
import type { ExecSession } from '../driver';
import { killProcessGroup, SIGNAL_EXIT_BASE } from './process-group';

/** What a TTY process on the host needs; the driver fills it from the Studio's spec. */
export interface PtySpawnOptions {
  file: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  cols: number;
  rows: number;
  /** How long dispose() waits after SIGHUP before it sends SIGKILL to the process group. */
  killGraceMs: number;
}

/**
 * A process on a pseudo-terminal (node-pty). node-pty starts it with setsid, so its pid is
 * also its process group: dispose() signals the whole group, not just the shell.
 */
export class PtyExecSession implements ExecSession {
  readonly exit: Promise<number>;
  private readonly terminal: pty.IPty;
  private readonly dataListeners = new ListenerSet<Buffer>();
  private readonly subscriptions: pty.IDisposable[] = [];
  private readonly killGraceMs: number;
  private exited = false;
  private disposed = false;

  constructor(options: PtySpawnOptions) {
    this.killGraceMs = options.killGraceMs;
    this.terminal = pty.spawn(options.file, options.args, {
      name: options.env.TERM ?? 'xterm-256color',
      cwd: options.cwd,
      env: options.env,
      cols: options.cols,
      rows: options.rows,
      // Raw bytes: UTF-8 sequences split across reads are reassembled by the consumer
      // (xterm.js handles that), and byte counts stay exact for flow control.
      encoding: null,
    });
    this.subscriptions.push(
      // With `encoding: null` node-pty emits Buffers although its typings say string.
      this.terminal.onData((data) => {
        const chunk = data as unknown as Buffer;
        this.dataListeners.emit(chunk);
      }),
    );
    this.exit = new Promise<number>((resolve) => {
      // node-pty fires onExit only after the pty's output has been read to the end.
      this.subscriptions.push(
        this.terminal.onExit(({ exitCode, signal }) => {
          this.exited = true;
          resolve(signal ? SIGNAL_EXIT_BASE + signal : exitCode);
        }),
      );
    });
    void this.exit.then(() => this.releaseListeners());
  }

  /** The host pid of the process (its process group id too). */
  get pid(): number {
    return this.terminal.pid;
  }

  onData(listener: (chunk: Buffer) => void): Disposable {
    return this.dataListeners.add(listener);
  }

  /** A TTY merges stderr into onData; nothing ever arrives here. */
  onStderr(_listener: (chunk: Buffer) => void): Disposable {
    return { dispose: () => {} };
  }

  write(data: string | Uint8Array): void {
    if (this.exited || this.disposed) return;
    this.terminal.write(typeof data === 'string' ? data : Buffer.from(data));
  }

  /** Sends EOF the way a keyboard does (Ctrl-D), since a pty has no separate input stream. */
  end(): void {
    this.write('\x04');
  }

  async resize(cols: number, rows: number): Promise<void> {
    if (this.exited || this.disposed) return;
    this.terminal.resize(cols, rows);
  }

  pause(): void {
    if (!this.exited) this.terminal.pause();
  }

  resume(): void {
    if (!this.exited) this.terminal.resume();
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.dataListeners.clear();
    if (this.exited) return;
    // Keep reading so node-pty can see the end of the stream and report the exit.
    this.terminal.resume();
    killProcessGroup(this.terminal.pid, 'SIGHUP', this.exit, this.killGraceMs);
  }

  private releaseListeners(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
    this.subscriptions.length = 0;
    this.dataListeners.clear();
  }
}
