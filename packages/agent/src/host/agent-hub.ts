import { rm } from 'node:fs/promises';
import { type Clock, type Disposable, type Logger, systemClock } from '@studios/base';
import type { AgentTreeChange } from '@studios/protocol';
import type { AgentHostPaths, RuntimeDriver, StudioSpec } from '@studios/runtime';
import type { AgentConnectionOptions } from '../client/agent-connection';
import { AgentFiles } from '../client/agent-files';
import { StudioAgent } from './studio-agent';

export interface AgentHubOptions {
  driver: RuntimeDriver;
  paths: AgentHostPaths;
  /** A Studio's spec (workspace folder, machine type); rejects for a Studio that does not exist. */
  spec(studioId: string): Promise<StudioSpec>;
  log: Logger;
  clock?: Clock;
  sandboxIdleMs?: number;
  connectTimeoutMs?: number;
  /** Deadlines of each agent connection (its hello, each request's answer); defaults suit production. */
  connection?: Omit<AgentConnectionOptions, 'clock'>;
}

/**
 * Every Studio's agent, for the rest of the server: `files(studioId)` is the only way to a
 * Studio's files and ports. Agents start on first use and are supervised per Studio.
 */
export class AgentHub implements Disposable {
  readonly #options: AgentHubOptions;
  readonly #clock: Clock;
  readonly #agents = new Map<string, { agent: StudioAgent; files: AgentFiles }>();
  #disposed = false;

  constructor(options: AgentHubOptions) {
    this.#options = options;
    this.#clock = options.clock ?? systemClock;
  }

  /** The Studio's files (and ports), through its agent. */
  files(studioId: string): AgentFiles {
    return this.#entry(studioId).files;
  }

  /**
   * Tree changes of the Studio's workspace while an agent runs. Watching alone never starts an
   * agent (a watcher must not keep a stopped Studio's sandbox alive); `onResync` follows a
   * reconnect, when changes may have been missed.
   */
  watch(studioId: string, onChanges: (changes: AgentTreeChange[]) => void, onResync: () => void): Disposable {
    const { agent } = this.#entry(studioId);
    const passive = new AgentFiles(() => agent.existingConnection(), { clock: this.#clock });
    return passive.watch(onChanges, onResync);
  }

  /** Where a Studio's agent runs now (`studio`, `sandbox`), or undefined when none is connected. */
  where(studioId: string): 'studio' | 'sandbox' | undefined {
    return this.#agents.get(studioId)?.agent.where;
  }

  /** The runtime reported a new state for the Studio. */
  studioStateChanged(studioId: string, state: string): void {
    this.#agents.get(studioId)?.agent.studioStateChanged(state);
  }

  /** The Studio was deleted: its agent ends and its socket folder goes. */
  async forget(studioId: string): Promise<void> {
    const entry = this.#agents.get(studioId);
    this.#agents.delete(studioId);
    entry?.agent.dispose();
    await rm(this.#options.paths.socketDir(studioId), { recursive: true, force: true });
  }

  dispose(): void {
    this.#disposed = true;
    for (const { agent } of this.#agents.values()) agent.dispose();
    this.#agents.clear();
  }

  #entry(studioId: string): { agent: StudioAgent; files: AgentFiles } {
    let entry = this.#agents.get(studioId);
    if (!entry) {
      if (this.#disposed) throw new Error('the agent hub is disposed');
      const agent = new StudioAgent({
        studioId,
        driver: this.#options.driver,
        spec: () => this.#options.spec(studioId),
        socketDir: this.#options.paths.socketDir(studioId),
        clock: this.#clock,
        log: this.#options.log,
        ...(this.#options.sandboxIdleMs !== undefined ? { sandboxIdleMs: this.#options.sandboxIdleMs } : {}),
        ...(this.#options.connectTimeoutMs !== undefined
          ? { connectTimeoutMs: this.#options.connectTimeoutMs }
          : {}),
        ...(this.#options.connection ? { connection: this.#options.connection } : {}),
      });
      entry = { agent, files: new AgentFiles(() => agent.connection(), { clock: this.#clock }) };
      this.#agents.set(studioId, entry);
    }
    return entry;
  }
}
