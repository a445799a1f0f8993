import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Disposable } from '@studios/base';
import {
  AGENT_SOCKET_FILE,
  type AgentHostPaths,
  type AgentLaunch,
  type AgentProcess,
  type LocalDriver,
  type RuntimeDriver,
  type StudioSpec,
} from '@studios/runtime';
import { FAKE_AGENT_SCRIPT, type FakeAgentMode } from './fake-agent-script';

/**
 * A runtime driver for agent tests: Studios given a {@link FakeAgentMode} get the fake agent (a
 * real process connecting to the real socket with the token from its environment); every other
 * Studio gets the real agent from the wrapped local driver. Modes can change between starts.
 */
export class FakeAgentDriver implements RuntimeDriver {
  readonly kind = 'local' as const;
  readonly #real: LocalDriver;
  readonly #paths: AgentHostPaths;
  readonly #script: string;
  readonly #modes = new Map<string, FakeAgentMode>();
  readonly #children = new Set<ChildProcess>();
  /** When each Studio's agent was started (ms since epoch), in order. */
  readonly starts = new Map<string, number[]>();
  /** Lines the Studio's fake agents printed (`closed <ms>`, `flood <n>`), in order. */
  readonly reports = new Map<string, string[]>();

  constructor(real: LocalDriver, paths: AgentHostPaths, scriptDir: string) {
    this.#real = real;
    this.#paths = paths;
    this.#script = join(scriptDir, 'fake-agent.mjs');
    writeFileSync(this.#script, FAKE_AGENT_SCRIPT);
  }

  /** From the next start on, `studioId` gets the fake in `mode` (undefined: the real agent). */
  setMode(studioId: string, mode: FakeAgentMode | undefined): void {
    if (mode) this.#modes.set(studioId, mode);
    else this.#modes.delete(studioId);
  }

  /** Fake agent processes still running. */
  get runningFakes(): number {
    return [...this.#children].filter((child) => child.exitCode === null && child.signalCode === null).length;
  }

  async startAgent(spec: StudioSpec, launch: AgentLaunch): Promise<AgentProcess> {
    this.starts.set(spec.studioId, [...(this.starts.get(spec.studioId) ?? []), Date.now()]);
    const mode = this.#modes.get(spec.studioId);
    if (!mode) return this.#real.startAgent(spec, launch);
    const socket = join(this.#paths.socketDir(spec.studioId), AGENT_SOCKET_FILE);
    const child = spawn(process.execPath, [this.#script, '--connect', socket, '--root', spec.workspaceDir], {
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        STUDIOS_AGENT_TOKEN: launch.token,
        FAKE_AGENT_MODE: mode,
      },
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    this.#children.add(child);
    child.stdout?.setEncoding('utf8').on('data', (text: string) => {
      const lines = text.split('\n').filter(Boolean);
      this.reports.set(spec.studioId, [...(this.reports.get(spec.studioId) ?? []), ...lines]);
    });
    const exit = new Promise<number>((resolve) => {
      child.once('error', () => resolve(-1));
      child.once('exit', (code) => resolve(code ?? -1));
    });
    void exit.then(() => this.#children.delete(child));
    return {
      where: 'studio',
      exit,
      dispose: () => {
        if (child.exitCode === null) child.kill('SIGTERM');
      },
    };
  }

  ensure(spec: StudioSpec): Promise<void> {
    return this.#real.ensure(spec);
  }
  start(studioId: string): Promise<void> {
    return this.#real.start(studioId);
  }
  stop(studioId: string): Promise<void> {
    return this.#real.stop(studioId);
  }
  remove(studioId: string): Promise<void> {
    return this.#real.remove(studioId);
  }
  status(studioId: string) {
    return this.#real.status(studioId);
  }
  list() {
    return this.#real.list();
  }
  onEvent(listener: Parameters<RuntimeDriver['onEvent']>[0]): Disposable {
    return this.#real.onEvent(listener);
  }
  exec(studioId: string, options: Parameters<RuntimeDriver['exec']>[1]) {
    return this.#real.exec(studioId, options);
  }
  switchMachine(...args: Parameters<RuntimeDriver['switchMachine']>): Promise<void> {
    return this.#real.switchMachine(...args);
  }

  async dispose(): Promise<void> {
    for (const child of this.#children) child.kill('SIGKILL');
    this.#children.clear();
    await this.#real.dispose();
  }
}
