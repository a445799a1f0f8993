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

/** An agent process and, once it said hello, its connection. */
interface Incarnation {
  token: string;
  process?: AgentProcess;
  connection?: AgentConnection;
}

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

/** How long an agent may outlive its connection before it is ended. */
const LINGER_MS = 5_000;
/** How long a replaced agent may finish the requests it has under way. */
const HANDOVER_MS = 60_000;

/** Pause after the n-th failed start in a row (a crashing agent is not restarted in a loop). */
function restartDelay(failures: number): number {
  return failures === 0 ? 0 : Math.min(30_000, 500 * 2 ** (failures - 1));
}

/**
 * Supervises one Studio's agent: starts it through the driver when someone needs the Studio's
 * files or ports (inside the Studio when it runs, in a files-only sandbox when it is stopped),
 * accepts its connection, restarts it when it dies (with backoff when it keeps dying), moves it
 * into the Studio when the Studio starts (the old one finishes what it has under way), and
 * stops an unused sandbox.
 */
export class StudioAgent implements Disposable {
  readonly #options: StudioAgentOptions;
  readonly #clock: Clock;
  #listener: Promise<AgentListener> | undefined;
  /** The agent serving requests. */
  #live: Incarnation | undefined;
  /** The agent being started (to replace `#live`, or because there is none). */
  #next: Incarnation | undefined;
  #failures = 0;
  readonly #waiters = new Set<Waiter>();
  readonly #passiveWaiters = new Set<Waiter>();
  #idleTimer: Disposable | undefined;
  #handshakes = 0;
  #disposed = false;

  constructor(options: StudioAgentOptions) {
    this.#options = options;
    this.#clock = options.clock ?? systemClock;
  }

  /** Where the agent runs now, if it is connected. */
  get where(): AgentProcess['where'] | undefined {
    return this.#liveConnection() ? this.#live?.process?.where : undefined;
  }

  /** The agent's connection, starting the agent if needed. Counts as use of a sandbox. */
  connection(): Promise<AgentConnection> {
    this.#touch();
    return this.#liveConnection() ?? this.#wait(this.#waiters, true);
  }

  /** The agent's connection once there is one, without starting an agent for it (watchers). */
  existingConnection(): Promise<AgentConnection> {
    return this.#liveConnection() ?? this.#wait(this.#passiveWaiters, false);
  }

  /**
   * The Studio's state changed. Running: an agent in a sandbox is replaced by one inside the
   * Studio (which takes over when it connects). Stopped: the agent inside ended with the
   * container; the next request starts one in a sandbox.
   */
  studioStateChanged(state: string): void {
    if (state === 'running' && this.#live?.process?.where === 'sandbox' && !this.#next) void this.#start();
  }

  #liveConnection(): Promise<AgentConnection> | undefined {
    const connection = this.#live?.connection;
    return connection && !connection.isClosed ? Promise.resolve(connection) : undefined;
  }

  #wait(set: Set<Waiter>, start: boolean): Promise<AgentConnection> {
    if (this.#disposed) return Promise.reject(shuttingDown());
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
      if (start && !this.#next) void this.#start();
    });
  }

  async #start(): Promise<void> {
    if (this.#disposed || this.#next) return;
    const next: Incarnation = { token: randomBytes(24).toString('base64url') };
    this.#next = next;
    try {
      await this.#delay(restartDelay(this.#failures));
      await this.#ensureListener();
      const process = await this.#options.driver.startAgent(await this.#options.spec(), {
        token: next.token,
      });
      if (this.#disposed || this.#next !== next) {
        process.dispose();
        return;
      }
      next.process = process;
      void process.exit.then((code) => this.#exited(next, code));
    } catch (error) {
      if (this.#next === next) this.#next = undefined;
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
    }
  }

  #exited(incarnation: Incarnation, code: number): void {
    const where = incarnation.process?.where;
    this.#options.log.info('agent exited', { studioId: this.#options.studioId, code, where });
    incarnation.connection?.dispose();
    if (this.#next === incarnation) {
      // Died before it connected.
      this.#next = undefined;
      this.#failures += 1;
    } else if (this.#live === incarnation) {
      this.#live = undefined;
    } else {
      return; // a replaced agent, already handed over
    }
    // Someone is waiting for an agent: start the next one.
    if (this.#waiters.size > 0 && !this.#disposed) void this.#start();
  }

  #accept(socket: Socket): void {
    if (this.#handshakes >= MAX_HANDSHAKES) {
      socket.destroy();
      return;
    }
    this.#handshakes += 1;
    const next = this.#next;
    const accepting = AgentConnection.accept(socket, {
      ...this.#options.connection,
      clock: this.#clock,
      acceptToken: (offered) => next !== undefined && sameToken(offered, next.token),
    });
    const handshakeOver = () => {
      this.#handshakes -= 1;
    };
    void accepting.then(handshakeOver, handshakeOver);
    void accepting.then(
      (connection) => {
        if (this.#disposed || this.#next !== next || !next) return connection.dispose();
        next.connection = connection;
        const previous = this.#live;
        this.#live = next;
        this.#next = undefined;
        if (previous) this.#retire(previous);
        let stable = false;
        const stableTimer = this.#clock.setTimeout(() => {
          if (connection.isClosed) return;
          stable = true;
          this.#failures = 0;
        }, STABLE_MS);
        connection.onClose(() => {
          stableTimer.dispose();
          // Ended before it proved healthy (died, or was cut off for breaking the protocol): the
          // next start waits longer.
          if (!stable) this.#failures += 1;
          this.#lost(next);
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
  }

  /**
   * The live agent's connection ended. An agent exits when its connection ends (and is then
   * restarted by #exited); one that lingers without a connection is ended, so the next start
   * is not blocked.
   */
  #lost(incarnation: Incarnation): void {
    if (this.#live !== incarnation) return;
    this.#clock.setTimeout(() => {
      if (this.#live === incarnation) incarnation.process?.dispose();
    }, LINGER_MS);
  }

  /** A replaced agent finishes its requests under way, then goes (its sandbox with it). */
  #retire(incarnation: Incarnation): void {
    const stop = () => incarnation.process?.dispose();
    if (incarnation.connection) void incarnation.connection.closeWhenIdle(HANDOVER_MS).then(stop);
    else stop();
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

  /** Restarts the sandbox idle countdown; an agent inside a running Studio is never stopped for idleness. */
  #touch(): void {
    this.#idleTimer?.dispose();
    this.#idleTimer = this.#clock.setTimeout(
      () => {
        const live = this.#live;
        if (live?.process?.where !== 'sandbox') return;
        this.#options.log.info('stopping an unused files-only sandbox', { studioId: this.#options.studioId });
        this.#live = undefined;
        this.#retire(live);
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
    for (const waiter of [...this.#waiters, ...this.#passiveWaiters]) waiter.reject(shuttingDown());
    for (const incarnation of [this.#live, this.#next]) {
      incarnation?.connection?.dispose();
      incarnation?.process?.dispose();
    }
    void this.#listener?.then((listener) => listener.dispose()).catch(() => {});
  }
}

function shuttingDown(): StudiosError {
  return new StudiosError(ErrorCode.RuntimeError, 'The server is shutting down.');
}
