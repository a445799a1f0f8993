import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { type Disposable, ListenerSet } from '@studios/base';
import type { ExecSession } from '../driver';
import { exitCodeForSignal, killProcessGroup } from './process-group';

/** What a pipe-connected process on the host needs; the driver fills it from the Studio's spec. */
export interface PipeSpawnOptions {
  file: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  /** How long dispose() waits after SIGTERM before it sends SIGKILL to the process group. */
  killGraceMs: number;
}

/** Exit status a shell reports for a command it could not run. */
const COMMAND_NOT_RUNNABLE = 127;

/**
 * A process with separate stdout and stderr pipes (no TTY). It runs in its own process group
 * (`detached`) so dispose() reaches the children it started as well.
 */
export class PipeExecSession implements ExecSession {
  readonly exit: Promise<number>;
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly dataListeners = new ListenerSet<Buffer>();
  private readonly stderrListeners = new ListenerSet<Buffer>();
  private readonly killGraceMs: number;
  private exited = false;
  private disposed = false;

  constructor(options: PipeSpawnOptions) {
    this.killGraceMs = options.killGraceMs;
    this.child = spawn(options.file, options.args, {
      cwd: options.cwd,
      env: options.env,
      detached: true,
      stdio: 'pipe',
    });
    this.child.stdout.on('data', (chunk: Buffer) => {
      this.dataListeners.emit(chunk);
    });
    this.child.stderr.on('data', (chunk: Buffer) => {
      this.stderrListeners.emit(chunk);
    });
    // A process that exits without reading its input must not crash the server with EPIPE.
    this.child.stdin.on('error', () => {});
    this.exit = new Promise<number>((resolve) => {
      this.child.on('error', (error) => {
        // Spawn failures (ENOENT, EACCES) never emit 'close'; report them like a shell would.
        if (this.child.pid !== undefined) return;
        const message = Buffer.from(`${options.file}: ${error.message}\n`);
        this.stderrListeners.emit(message);
        resolve(COMMAND_NOT_RUNNABLE);
      });
      // 'close' comes after both output pipes have ended, so all output has been delivered.
      this.child.on('close', (code, signal) => {
        resolve(signal ? exitCodeForSignal(signal) : (code ?? 0));
      });
    });
    void this.exit.then(() => {
      this.exited = true;
      this.dataListeners.clear();
      this.stderrListeners.clear();
    });
  }

  onData(listener: (chunk: Buffer) => void): Disposable {
    return this.dataListeners.add(listener);
  }

  onStderr(listener: (chunk: Buffer) => void): Disposable {
    return this.stderrListeners.add(listener);
  }

  write(data: string | Uint8Array): void {
    if (this.exited || this.disposed || this.child.stdin.destroyed) return;
    this.child.stdin.write(data);
  }

  end(): void {
    if (!this.child.stdin.destroyed) this.child.stdin.end();
  }

  /** Without a TTY there is no window size to change. */
  async resize(_cols: number, _rows: number): Promise<void> {}

  pause(): void {
    this.child.stdout.pause();
    this.child.stderr.pause();
  }

  resume(): void {
    this.child.stdout.resume();
    this.child.stderr.resume();
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.dataListeners.clear();
    this.stderrListeners.clear();
    if (this.exited || this.child.pid === undefined) return;
    // Keep draining so 'close' can fire once the group is gone.
    this.resume();
    this.child.stdin.destroy();
    killProcessGroup(this.child.pid, 'SIGTERM', this.exit, this.killGraceMs);
  }
}
