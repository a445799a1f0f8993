import { randomUUID } from 'node:crypto';
import type { Duplex } from 'node:stream';
import { type Disposable, ListenerSet } from '@studios/base';
import type Docker from 'dockerode';
import type { ExecOptions, ExecSession } from '../driver';
import { STUDIO_USER, WORKSPACE_PATH } from './container-spec';
import { translateEngineError } from './engine-errors';
import { StreamDemuxer } from './stream-demux';

/**
 * Every exec carries this variable. Docker reports an exec's pid in the host's pid namespace,
 * which means nothing inside the container (and nothing to a server that runs in a container
 * itself), and Docker has no "kill exec" call. So dispose() runs a second exec, as the same
 * user, that kills every process whose environment holds this exec's id: the process and the
 * children that inherited it. A process that scrubs its environment escapes, which only lets
 * a user keep their own process alive in their own Studio.
 */
export const EXEC_ID_VARIABLE = 'STUDIOS_EXEC_ID';

const KILL_SCRIPT =
  'grep -lzsx "$0" /proc/[0-9]*/environ | cut -d/ -f3 | xargs -r kill -KILL 2>/dev/null; true';

const DEFAULT_COLS = 80;
const DEFAULT_ROWS = 24;
/** How long to wait for Docker to notice that an exec whose stream ended has exited. */
const EXIT_INSPECT_DEADLINE_MS = 10_000;

/**
 * A TTY exec starts at 0x0 and Docker 20.10 (API 1.41) ignores ConsoleSize, so a resize after
 * start races a fast program (`stty size` already printed "0 0"). Setting the size from inside,
 * before exec'ing the real command (argv unchanged), closes that race.
 */
function withTtySize(cmd: string[], cols: number, rows: number): string[] {
  const size = `stty rows ${Math.floor(rows)} cols ${Math.floor(cols)} 2>/dev/null; exec "$@"`;
  return ['sh', '-c', size, 'sh', ...cmd];
}

function resolveUser(user: string | undefined): string {
  if (user === undefined || user === 'studio') return STUDIO_USER;
  return user;
}

/** Largest amount of output kept for a listener that has not subscribed yet. */
const EARLY_OUTPUT_LIMIT = 1024 * 1024;

/**
 * The process runs (and may print its prompt) before the caller can call onData, so output
 * that arrives with no listener is kept (up to a limit) and handed to the first listener.
 */
class EarlyOutputBuffer {
  readonly #listeners = new ListenerSet<Buffer>();
  #early: Buffer[] | undefined = [];
  #earlyBytes = 0;

  add(listener: (chunk: Buffer) => void): Disposable {
    const subscription = this.#listeners.add(listener);
    const early = this.#early;
    this.#early = undefined;
    for (const chunk of early ?? []) listener(chunk);
    return subscription;
  }

  emit(chunk: Buffer): void {
    if (!this.#early) {
      this.#listeners.emit(chunk);
      return;
    }
    if (this.#earlyBytes + chunk.length > EARLY_OUTPUT_LIMIT) return;
    this.#early.push(chunk);
    this.#earlyBytes += chunk.length;
  }

  clear(): void {
    this.#listeners.clear();
    this.#early = undefined;
  }
}

/** Starts a process in a running container and wraps its hijacked stream. */
export async function startExec(container: Docker.Container, options: ExecOptions): Promise<ExecSession> {
  const execId = randomUUID();
  const env = Object.entries(options.env ?? {}).map(([key, value]) => `${key}=${value}`);
  const user = resolveUser(options.user);
  const cols = options.cols ?? DEFAULT_COLS;
  const rows = options.rows ?? DEFAULT_ROWS;
  let exec: Docker.Exec;
  let stream: Duplex;
  try {
    exec = await container.exec({
      Cmd: options.tty ? withTtySize(options.cmd, cols, rows) : options.cmd,
      // Honoured from API 1.42; on older engines the wrapper above does the same job.
      ConsoleSize: [rows, cols],
      Tty: options.tty,
      AttachStdin: true,
      AttachStdout: true,
      AttachStderr: true,
      User: user,
      WorkingDir: options.cwd ?? WORKSPACE_PATH,
      Env: [...env, `${EXEC_ID_VARIABLE}=${execId}`],
    });
    stream = await exec.start({ hijack: true, stdin: true, Tty: options.tty });
  } catch (error) {
    throw translateEngineError(error, 'run a process in the Studio');
  }
  const session = new DockerExecSession(container, exec, stream, { tty: options.tty, user, execId });
  if (options.tty) {
    // A TTY exec starts at 0x0; this also tells Docker the size it should keep. Not awaited (a
    // round trip before the terminal can attach): the stty wrapper already sized the PTY, and
    // later resizes queue behind this one.
    void session.resize(cols, rows).catch(() => {});
  }
  return session;
}

class DockerExecSession implements ExecSession {
  readonly exit: Promise<number>;
  readonly #data = new EarlyOutputBuffer();
  readonly #stderr = new EarlyOutputBuffer();
  readonly #container: Docker.Container;
  readonly #exec: Docker.Exec;
  readonly #stream: Duplex;
  readonly #user: string;
  readonly #execId: string;
  #exited = false;
  #disposed = false;
  #lastResize: Promise<void> = Promise.resolve();

  constructor(
    container: Docker.Container,
    exec: Docker.Exec,
    stream: Duplex,
    options: { tty: boolean; user: string; execId: string },
  ) {
    this.#container = container;
    this.#exec = exec;
    this.#stream = stream;
    this.#user = options.user;
    this.#execId = options.execId;
    if (options.tty) {
      stream.on('data', (chunk: Buffer) => this.#data.emit(chunk));
    } else {
      const demux = new StreamDemuxer(
        (chunk) => this.#data.emit(chunk),
        (chunk) => this.#stderr.emit(chunk),
      );
      stream.on('data', (chunk: Buffer) => demux.push(chunk));
    }
    // A socket error (engine restarted) ends the session like a normal end; exit tells the rest.
    stream.on('error', () => {});
    const ended = new Promise<void>((resolve) => {
      stream.once('end', resolve);
      stream.once('close', resolve);
    });
    this.exit = ended.then(() => this.#waitForExitCode());
    void this.exit.then(() => {
      this.#exited = true;
    });
  }

  onData(listener: (chunk: Buffer) => void): Disposable {
    return this.#data.add(listener);
  }

  onStderr(listener: (chunk: Buffer) => void): Disposable {
    return this.#stderr.add(listener);
  }

  write(data: string | Uint8Array): void {
    if (this.#disposed || this.#stream.writableEnded || this.#stream.destroyed) return;
    this.#stream.write(data);
  }

  end(): void {
    if (this.#stream.writableEnded || this.#stream.destroyed) return;
    // Half-closes the hijacked connection; Docker then closes the process's stdin.
    this.#stream.end();
  }

  resize(cols: number, rows: number): Promise<void> {
    // One at a time, in call order: the engine applies concurrent resizes in any order.
    const next = this.#lastResize.then(() => this.#resizeNow(cols, rows));
    this.#lastResize = next.catch(() => {});
    return next;
  }

  async #resizeNow(cols: number, rows: number): Promise<void> {
    if (this.#disposed || this.#exited) return;
    try {
      await this.#exec.resize({ h: Math.max(1, Math.floor(rows)), w: Math.max(1, Math.floor(cols)) });
    } catch (error) {
      // The process may have ended between the check and the call; resizing it is then moot.
      if (this.#exited) return;
      throw translateEngineError(error, 'resize the terminal');
    }
  }

  pause(): void {
    this.#stream.pause();
  }

  resume(): void {
    this.#stream.resume();
  }

  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#data.clear();
    this.#stderr.clear();
    if (!this.#exited) void this.#kill();
    this.#stream.destroy();
  }

  async #kill(): Promise<void> {
    try {
      const killer = await this.#container.exec({
        Cmd: ['sh', '-c', KILL_SCRIPT, `${EXEC_ID_VARIABLE}=${this.#execId}`],
        User: this.#user,
        AttachStdout: false,
        AttachStderr: false,
      });
      await killer.start({ Detach: true });
    } catch {
      // The container stopped, taking the process with it.
    }
  }

  /** Docker marks the exec finished shortly after its stream ends: poll with a deadline. */
  async #waitForExitCode(): Promise<number> {
    const deadline = Date.now() + EXIT_INSPECT_DEADLINE_MS;
    let delay = 5;
    while (Date.now() < deadline) {
      try {
        const info = await this.#exec.inspect();
        if (!info.Running) return info.ExitCode ?? -1;
      } catch {
        // Engine or container gone: the process is gone too, with no code to report.
        return -1;
      }
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, 200);
    }
    return -1;
  }
}
