import { lchown, mkdir } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import { type Disposable, ListenerSet } from '@studios/base';
import { ErrorCode, type MachineType } from '@studios/protocol';
import type { AgentHostPaths, AgentLaunch, AgentProcess } from '../agent-launch';
import type {
  ExecOptions,
  ExecSession,
  RuntimeDriver,
  RuntimeEvent,
  RuntimeStatus,
  StudioSpec,
} from '../driver';
import { RuntimeError } from '../runtime-error';
import { startLocalAgent } from './local-agent';
import { PipeExecSession } from './pipe-exec-session';
import { PtyExecSession } from './pty-exec-session';
import { asUser, type LocalUser } from './run-as';

export interface LocalDriverOptions {
  /** Host folders of the agent runtime and of each Studio's agent socket. */
  agent: AgentHostPaths;
  /** What an agent process printed before it ended (errors), for the server's log. */
  onAgentOutput?: (studioId: string, text: string) => void;
  /**
   * Environment every process starts from. Defaults to the server's own environment, as any
   * child process of the server would inherit it.
   */
  baseEnv?: Readonly<Record<string, string | undefined>>;
  /** HOME for the Studio's processes; defaults to the server user's home. */
  home?: string;
  /** How long a killed process gets between the polite signal and SIGKILL. */
  killGraceMs?: number;
  /**
   * Run every Studio process (shells, the agent) as this unprivileged user, with its HOME. A
   * server running as root must give one (see `lookUpLocalUser`): the local runtime never
   * hands anyone a root shell. Without it, processes run as the server's own user.
   */
  user?: LocalUser;
}

/** The path Studio processes see as their workspace; the local driver maps it to the real folder. */
const STUDIO_WORKSPACE = '/workspace';
const DEFAULT_TTY_SIZE = { cols: 80, rows: 24 };

interface LocalStudio {
  spec: StudioSpec;
  running: boolean;
  sessions: Set<ExecSession>;
}

/**
 * Runs Studios as plain processes of the server's own user, in the Studio's workspace folder.
 * For one trusted person on their own machine (development, a laptop install): there is no
 * isolation at all, which is why the server refuses it on non-loopback addresses
 * (see assertLocalDriverAllowed). Processes a user detaches with setsid/nohup survive stop().
 */
export class LocalDriver implements RuntimeDriver {
  readonly kind = 'local' as const;
  private readonly studios = new Map<string, LocalStudio>();
  private readonly listeners = new ListenerSet<RuntimeEvent>();
  private readonly baseEnv: Readonly<Record<string, string | undefined>>;
  private readonly home: string;
  private readonly killGraceMs: number;
  private readonly agent: AgentHostPaths;
  private readonly onAgentOutput: (studioId: string, text: string) => void;
  private readonly user: LocalUser | undefined;

  constructor(options: LocalDriverOptions) {
    this.agent = options.agent;
    this.user = options.user;
    this.onAgentOutput = options.onAgentOutput ?? (() => {});
    this.baseEnv = options.baseEnv ?? process.env;
    this.home = options.home ?? options.user?.home ?? homedir();
    this.killGraceMs = options.killGraceMs ?? 2_000;
  }

  async ensure(spec: StudioSpec): Promise<void> {
    await this.prepareWorkspace(spec.workspaceDir);
    const existing = this.studios.get(spec.studioId);
    if (existing) existing.spec = spec;
    else this.studios.set(spec.studioId, { spec, running: false, sessions: new Set() });
  }

  async start(studioId: string, onProgress?: (message: string) => void): Promise<void> {
    const studio = this.require(studioId);
    if (studio.running) return;
    onProgress?.('Starting local processes');
    studio.running = true;
    this.emit(studioId);
  }

  async stop(studioId: string): Promise<void> {
    const studio = this.studios.get(studioId);
    if (!studio?.running) return;
    studio.running = false;
    const exits = [...studio.sessions].map((session) => {
      session.dispose();
      return session.exit;
    });
    await Promise.all(exits);
    this.emit(studioId);
  }

  async remove(studioId: string): Promise<void> {
    await this.stop(studioId);
    this.studios.delete(studioId);
  }

  async status(studioId: string): Promise<RuntimeStatus> {
    const studio = this.studios.get(studioId);
    if (!studio) return { state: 'stopped' };
    return { state: studio.running ? 'running' : 'stopped', machineTypeId: studio.spec.machine.id };
  }

  async list(): Promise<Array<{ studioId: string; status: RuntimeStatus }>> {
    return Promise.all(
      [...this.studios.keys()].map(async (studioId) => ({ studioId, status: await this.status(studioId) })),
    );
  }

  onEvent(listener: (event: RuntimeEvent) => void): Disposable {
    return this.listeners.add(listener);
  }

  async exec(studioId: string, options: ExecOptions): Promise<ExecSession> {
    const studio = this.require(studioId);
    if (!studio.running) {
      throw new RuntimeError(ErrorCode.StudioNotRunning, 'The Studio is not running. Start it first.');
    }
    if (options.cmd.length === 0)
      throw new RuntimeError(ErrorCode.RuntimeError, 'exec needs a command to run.');
    const [file, ...args] = this.user ? asUser(this.user, options.cmd) : options.cmd;
    if (!file) throw new RuntimeError(ErrorCode.RuntimeError, 'exec needs a command to run.');
    const cwd = this.hostPath(studio.spec, options.cwd);
    const env = this.environment(studio.spec, options);
    const session = options.tty
      ? new PtyExecSession({
          file,
          args,
          cwd,
          env,
          cols: options.cols ?? DEFAULT_TTY_SIZE.cols,
          rows: options.rows ?? DEFAULT_TTY_SIZE.rows,
          killGraceMs: this.killGraceMs,
        })
      : new PipeExecSession({ file, args, cwd, env, killGraceMs: this.killGraceMs });
    studio.sessions.add(session);
    void session.exit.then(() => studio.sessions.delete(session));
    return session;
  }

  /** CPU machine types change nothing locally (the host is what it is); GPUs are refused. */
  async switchMachine(
    studioId: string,
    machine: MachineType,
    onProgress?: (message: string) => void,
  ): Promise<void> {
    const studio = this.require(studioId);
    if (machine.gpus > 0) {
      throw new RuntimeError(
        ErrorCode.GpuUnavailable,
        `The local runtime cannot provide GPUs, so "${machine.label}" is unavailable. ` +
          'Use the Docker runtime on a host with the NVIDIA Container Toolkit.',
      );
    }
    onProgress?.(`Using ${machine.label} (local processes share this computer's CPUs)`);
    studio.spec = { ...studio.spec, machine };
    this.emit(studioId);
  }

  /** Local Studios have no machine to start: the agent always runs, stopped or not. */
  async startAgent(spec: StudioSpec, launch: AgentLaunch): Promise<AgentProcess> {
    await this.prepareWorkspace(spec.workspaceDir);
    return startLocalAgent(this.agent, spec, launch, {
      onOutput: (text) => this.onAgentOutput(spec.studioId, text),
      wrap: (command) => (this.user ? asUser(this.user, command) : command),
    });
  }

  /** The workspace folder exists and belongs to the Studio user (the folder itself, never through a link). */
  private async prepareWorkspace(dir: string): Promise<void> {
    await mkdir(dir, { recursive: true });
    if (this.user) await lchown(dir, this.user.uid, this.user.gid);
  }

  async dispose(): Promise<void> {
    await Promise.all([...this.studios.keys()].map((studioId) => this.stop(studioId)));
    this.studios.clear();
    this.listeners.clear();
  }

  /** Counts for leak tests: Studios known and processes still running. */
  stats(): { studios: number; processes: number } {
    let processes = 0;
    for (const studio of this.studios.values()) processes += studio.sessions.size;
    return { studios: this.studios.size, processes };
  }

  private require(studioId: string): LocalStudio {
    const studio = this.studios.get(studioId);
    if (!studio) throw new RuntimeError(ErrorCode.NotFound, `Unknown Studio ${studioId}.`);
    return studio;
  }

  /** Maps a Studio path (`/workspace/...` or relative) onto the host's workspace folder. */
  private hostPath(spec: StudioSpec, cwd: string | undefined): string {
    if (!cwd || cwd === STUDIO_WORKSPACE) return spec.workspaceDir;
    if (cwd.startsWith(`${STUDIO_WORKSPACE}/`)) {
      return path.join(spec.workspaceDir, cwd.slice(STUDIO_WORKSPACE.length + 1));
    }
    return path.resolve(spec.workspaceDir, cwd);
  }

  private environment(spec: StudioSpec, options: ExecOptions): Record<string, string> {
    const env: Record<string, string> = {};
    for (const [key, value] of Object.entries(this.baseEnv)) {
      if (value !== undefined) env[key] = value;
    }
    env.HOME = this.home;
    if (this.user) {
      env.USER = this.user.name;
      env.LOGNAME = this.user.name;
    }
    env.STUDIOS_WORKSPACE = spec.workspaceDir;
    if (options.tty) env.TERM = 'xterm-256color';
    return { ...env, ...options.env };
  }

  private emit(studioId: string): void {
    void this.status(studioId).then((status) => {
      this.listeners.emit({ studioId, status });
    });
  }
}
