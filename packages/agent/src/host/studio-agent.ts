import { randomBytes } from 'node:crypto';
import type { Socket } from 'node:net';
import { join } from 'node:path';
import { type Clock, type Disposable, type Logger, systemClock } from '@studios/base';
import { ErrorCode, StudiosError } from '@studios/protocol';
import { AGENT_SOCKET_FILE, type AgentProcess, type RuntimeDriver, type StudioSpec } from '@studios/runtime';
import { AgentConnection, type AgentConnectionOptions, sameToken } from '../client/agent-connection';
import { AgentListener } from './agent-listener';

export interface StudioAgentOptions {
  studioId: string;
  driver: RuntimeDriver;
  /** The Studio's spec (workspace folder, machine type), read when an agent starts. */
  spec(): Promise<StudioSpec>;
  /** The Studio's socket folder (the driver mounts it read-only into the Studio). */
  socketDir: string;
  clock?: Clock;
  log: Logger;
  /** A files-only sandbox nobody used for this long is stopped. Default 5 minutes. */
  sandboxIdleMs?: number;
  /** How long a request waits for an agent to start and connect. Default 30 s. */
  connectTimeoutMs?: number;
  /** Deadlines of each connection (its hello, each request's answer). */
  connection?: Omit<AgentConnectionOptions, 'clock'>;
}

interface Waiter {
  resolve(connection: AgentConnection): void;
  reject(error: Error): void;
}

/** How long an agent may outlive its connection before it is ended. */
const LINGER_MS = 5_000;
/**
 * Connections still in their hello, at most. Anyone in the Studio can connect to its socket;
 * only the agent started with the current token needs one slot, and a flood of connections that
 * never say hello is turned away on arrival instead of each holding memory until its deadline.
 */
const MAX_HANDSHAKES = 4;

/**
 * An agent whose connection has lasted this long is healthy: only then does the restart backoff
 * start over. (Counting a hello as health let an agent that dies right after it be restarted
 * every half second, forever.)
 */
const STABLE_MS = 10_000;

/** Pause after the n-th failed start in a row (a crashing agent is not restarted in a loop). */
function restartDelay(failures: number): number {
  return failures === 0 ? 0 : Math.min(30_000, 500 * 2 ** (failures - 1));
}

/**
 * Supervises one Studio's agent: starts it through the driver when someone needs the Studio's
 * files or ports (inside the Studio when it runs, in a files-only sandbox when it is stopped),
 * accepts its connection, restarts it when it dies (with backoff when it keeps dying), moves it
 * into the Studio when the Studio starts, and stops an unused sandbox.
 */
export class StudioAgent implements Disposable {
  readonly #options: StudioAgentOptions;
  readonly #clock: Clock;
  #listener: Promise<AgentListener> | undefined;
  #connection: AgentConnection | undefined;
  #process: AgentProcess | undefined;
  #token: string | undefined;
  #starting = false;
  #failures = 0;
  #handshakes = 0;
  #waiters = new Set<Waiter>();
  #passiveWaiters = new Set<Waiter>();
  #idleTimer: Disposable | undefined;
  #stableTimer: Disposable | undefined;
  /** Whether the current process has connected (its failure is then counted by its connection). */
  #connectedSinceStart = false;
  #disposed = false;

  constructor(options: StudioAgentOptions) {
    this.#options = options;
    this.#clock = options.clock ?? systemClock;
  }

  /** Where the agent runs now, if it is connected. */
  get where(): AgentProcess['where'] | undefined {
    return this.#connection && !this.#connection.isClosed ? this.#process?.where : undefined;
  }

  /** The agent's connection, starting the agent if needed. Counts as use of a sandbox. */
  connection(): Promise<AgentConnection> {
    this.#touch();
    const current = this.#connection;
    if (current && !current.isClosed) return Promise.resolve(current);
    return this.#wait(this.#waiters, true);
  }

  /** The agent's connection once there is one, without starting an agent for it (watchers). */
  existingConnection(): Promise<AgentConnection> {
    const current = this.#connection;
    if (current && !current.isClosed) return Promise.resolve(current);
    return this.#wait(this.#passiveWaiters, false);
  }

  /**
   * The Studio's state changed. Running: an agent in a sandbox moves into the Studio (the new
   * one takes over when it connects). Stopped: the agent inside died with the container; the
   * next request starts one in a sandbox.
   */
  studioStateChanged(state: string): void {
    if (state === 'running' && this.#process?.where === 'sandbox' && !this.#starting) void this.#start();
  }

  #wait(set: Set<Waiter>, start: boolean): Promise<AgentConnection> {
    if (this.#disposed)
      return Promise.reject(new StudiosError(ErrorCode.RuntimeError, 'The server is shutting down.'));
    return new Promise((resolve, reject) => {
      const timeoutMs = this.#options.connectTimeoutMs ?? 30_000;
      const waiter: Waiter = {
        resolve: (connection) => {
          timer?.dispose();
          set.delete(waiter);
          resolve(connection);
        },
        reject: (error) => {
          timer?.dispose();
          set.delete(waiter);
          reject(error);
        },
      };
      // Passive waiters (watchers) wait as long as it takes; requests get a deadline.
      const timer = start
        ? this.#clock.setTimeout(
            () =>
              waiter.reject(
                new StudiosError(
                  ErrorCode.RuntimeError,
                  `The Studio's agent did not start within ${Math.round(timeoutMs / 1000)} s; try again in a moment.`,
                ),
              ),
            timeoutMs,
          )
        : undefined;
      set.add(waiter);
      if (start && !this.#starting) void this.#start();
    });
  }

  async #start(): Promise<void> {
    if (this.#disposed) return;
    this.#starting = true;
    try {
      await this.#delay(restartDelay(this.#failures));
      if (this.#disposed) return;
      await this.#ensureListener();
      const token = randomBytes(24).toString('base64url');
      this.#token = token;
      // Before the start: its connection may come before the driver returns.
      this.#connectedSinceStart = false;
      const process = await this.#options.driver.startAgent(await this.#options.spec(), { token });
      if (this.#disposed || this.#token !== token) {
        process.dispose();
        return;
      }
      const previous = this.#process;
      this.#process = process;
      if (previous && previous !== process) this.#retire(previous);
      void process.exit.then((code) => this.#exited(process, code));
    } catch (error) {
      this.#failures += 1;
      this.#options.log.warn('agent start failed', {
        studioId: this.#options.studioId,
        error: String(error),
      });
      const failure =
        error instanceof StudiosError
          ? error
          : new StudiosError(ErrorCode.RuntimeError, "The Studio's agent could not be started.", {
              cause: error,
            });
      for (const waiter of [...this.#waiters]) waiter.reject(failure);
    } finally {
      this.#starting = false;
    }
  }

  #exited(process: AgentProcess, code: number): void {
    if (this.#process !== process) return;
    this.#process = undefined;
    // One that never connected failed to start; one that did was counted when its connection ended.
    if (!this.#connectedSinceStart) this.#failures += 1;
    this.#options.log.info('agent exited', { studioId: this.#options.studioId, code, where: process.where });
    this.#connection?.dispose();
    this.#connection = undefined;
    // Someone is waiting for an agent: start the next one.
    if (this.#waiters.size > 0 && !this.#starting && !this.#disposed) void this.#start();
  }

  #accept(socket: Socket): void {
    if (this.#handshakes >= MAX_HANDSHAKES) {
      socket.destroy();
      return;
    }
    this.#handshakes += 1;
    const token = this.#token;
    const accepting = AgentConnection.accept(socket, {
      ...this.#options.connection,
      clock: this.#clock,
      acceptToken: (offered) => token !== undefined && sameToken(offered, token),
    });
    void accepting.then(
      (connection) => {
        if (this.#disposed || this.#token !== token) return connection.dispose();
        const previous = this.#connection;
        this.#connection = connection;
        this.#connectedSinceStart = true;
        let stable = false;
        this.#stableTimer?.dispose();
        this.#stableTimer = this.#clock.setTimeout(() => {
          if (this.#connection !== connection || connection.isClosed) return;
          stable = true;
          this.#failures = 0;
        }, STABLE_MS);
        previous?.dispose();
        const process = this.#process;
        connection.onClose(() => {
          if (this.#connection !== connection) return;
          this.#connection = undefined;
          // Ended before it proved healthy (died, or was cut off for breaking the protocol):
          // the next start waits longer. Its process may linger or be replaced, so this is the
          // one place such an agent is sure to be counted.
          if (!stable) this.#failures += 1;
          // An agent exits when its connection ends (and is then restarted by #exited); one
          // that lingers without a connection is ended, so the next start is not blocked.
          this.#clock.setTimeout(() => {
            if (process && this.#process === process && !this.#connection) process.dispose();
          }, LINGER_MS);
        });
        for (const waiter of [...this.#waiters, ...this.#passiveWaiters]) waiter.resolve(connection);
        this.#touch();
      },
      (error: unknown) =>
        this.#options.log.warn('agent connection refused', {
          studioId: this.#options.studioId,
          error: String(error),
        }),
    );
    const handshakeOver = () => {
      this.#handshakes -= 1;
    };
    void accepting.then(handshakeOver, handshakeOver);
  }

  #ensureListener(): Promise<AgentListener> {
    this.#listener ??= AgentListener.listen(join(this.#options.socketDir, AGENT_SOCKET_FILE), (socket) =>
      this.#accept(socket),
    ).catch((error: unknown) => {
      this.#listener = undefined;
      throw error;
    });
    return this.#listener;
  }

  /** An agent replaced by a newer one (sandbox → Studio): its connection and process go. */
  #retire(process: AgentProcess): void {
    process.dispose();
  }

  /** Restarts the sandbox idle countdown; an agent inside a running Studio is never stopped for idleness. */
  #touch(): void {
    this.#idleTimer?.dispose();
    this.#idleTimer = this.#clock.setTimeout(
      () => {
        if (this.#process?.where !== 'sandbox') return;
        this.#options.log.info('stopping an unused files-only sandbox', { studioId: this.#options.studioId });
        const process = this.#process;
        this.#process = undefined;
        this.#connection?.dispose();
        this.#connection = undefined;
        process.dispose();
      },
      this.#options.sandboxIdleMs ?? 5 * 60_000,
    );
  }

  #delay(ms: number): Promise<void> {
    if (ms <= 0) return Promise.resolve();
    return new Promise((resolve) => this.#clock.setTimeout(resolve, ms));
  }

  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#idleTimer?.dispose();
    this.#stableTimer?.dispose();
    const gone = new StudiosError(ErrorCode.RuntimeError, 'The server is shutting down.');
    for (const waiter of [...this.#waiters, ...this.#passiveWaiters]) waiter.reject(gone);
    this.#connection?.dispose();
    this.#process?.dispose();
    void this.#listener?.then((listener) => listener.dispose()).catch(() => {});
  }
}
