import type { Disposable } from '@studios/base';
import type { MachineType, StudioState } from '@studios/protocol';
import type { AgentLaunch, AgentProcess } from './agent-launch';

/**
 * How Studios reaches a Studio's files, processes and ports. Nothing above this interface
 * talks to Docker (or, later, Kubernetes): the server, terminals, kernels and the SSH gateway
 * all go through a `RuntimeDriver`.
 */
export interface RuntimeDriver {
  readonly kind: 'docker' | 'local';
  /** Creates the Studio's container (or prepares its folder) if it does not exist yet. Idempotent. */
  ensure(spec: StudioSpec): Promise<void>;
  /** Starts the Studio; resolves when processes can be executed in it. Idempotent. */
  start(studioId: string, onProgress?: (message: string) => void): Promise<void>;
  /** Stops the Studio, keeping its disk and installed packages. Idempotent. */
  stop(studioId: string): Promise<void>;
  /** Removes the container (not the workspace folder, which the caller owns). Idempotent. */
  remove(studioId: string): Promise<void>;
  status(studioId: string): Promise<RuntimeStatus>;
  /** Every Studio this driver manages, for reconciling after a server restart. */
  list(): Promise<Array<{ studioId: string; status: RuntimeStatus }>>;
  /** Subscribes to state changes made by anyone (including outside Studios, e.g. `docker stop`). */
  onEvent(listener: (event: RuntimeEvent) => void): Disposable;
  /** Runs a process in the running Studio. */
  exec(studioId: string, options: ExecOptions): Promise<ExecSession>;
  /**
   * Recreates the Studio on another machine type, keeping /workspace and everything installed
   * in the container's own layer. Verifies the result; on failure the Studio stays as it was.
   */
  switchMachine(
    studioId: string,
    machine: MachineType,
    onProgress?: (message: string) => void,
  ): Promise<void>;
  /**
   * Throws a RuntimeError when this host cannot run `machine` at all (`gpu_unavailable` for a GPU
   * type without a GPU runtime), so a request can be refused before anything changes.
   */
  checkMachine?(machine: MachineType): Promise<void>;
  /**
   * Makes what `machine` needs present on this host before a Studio is created on it: the Docker
   * driver builds a missing image it knows how to build (minutes, reported through `onProgress`;
   * concurrent callers share one build) and throws a RuntimeError saying what to do otherwise.
   * Resolves at once when everything is there.
   */
  prepare?(machine: MachineType, onProgress?: (progress: Progress) => void): Promise<void>;
  /**
   * Starts the Studio's agent as the Studio user: inside the Studio when it is running, else in
   * a files-only sandbox on its workspace, so a stopped Studio's files stay reachable without
   * starting its machine. The agent connects to the socket the server listens on.
   */
  startAgent(spec: StudioSpec, launch: AgentLaunch): Promise<AgentProcess>;
  dispose(): Promise<void>;
}

/** A step of a long operation; `fraction` (0–1) when the operation knows how far it is. */
export interface Progress {
  message: string;
  fraction?: number;
}

export interface StudioSpec {
  studioId: string;
  /** Host folder mounted at /workspace. */
  workspaceDir: string;
  machine: MachineType;
}

export interface RuntimeStatus {
  state: StudioState;
  /** Set when state is `error`: what happened, in words a user understands. */
  message?: string;
  machineTypeId?: string;
}

export type RuntimeEvent = { studioId: string; status: RuntimeStatus };

export interface ExecOptions {
  /** argv; for a login shell `['bash', '-l']`. */
  cmd: string[];
  tty: boolean;
  /** Defaults to the Studio user (`studio`, uid 1000); `root` for administrative steps. */
  user?: string;
  /** Defaults to /workspace. */
  cwd?: string;
  env?: Record<string, string>;
  /** Initial TTY size; a TTY exec starts at 0x0 otherwise. */
  cols?: number;
  rows?: number;
}

/** A running process. Owns its streams: dispose() kills the process and frees everything. */
export interface ExecSession extends Disposable {
  /** Output (stdout, plus stderr merged when tty is true). */
  onData(listener: (chunk: Buffer) => void): Disposable;
  /** Stderr when tty is false. */
  onStderr(listener: (chunk: Buffer) => void): Disposable;
  write(data: string | Uint8Array): void;
  /** Signals end of input. */
  end(): void;
  resize(cols: number, rows: number): Promise<void>;
  /** Flow control: stop reading output until resume(); the process blocks once its pipe fills. */
  pause(): void;
  resume(): void;
  /** Resolves with the exit code once the process has ended and its output is drained (-1 if unknowable). */
  readonly exit: Promise<number>;
}
