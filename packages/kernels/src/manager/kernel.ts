import { type Disposable, ListenerSet } from '@studios/base';
import {
  ErrorCode,
  type KernelState,
  type KernelStatus,
  type NotebookUser,
  StudiosError,
} from '@studios/protocol';
import type { KernelActivity } from '../client/connection-options';
import type { ExecuteOptions, ExecuteResult } from '../client/execution';
import { kernelAlive, killKernel, launchKernel, signalInterrupt } from '../launch/kernel-process';
import { type StudioKernelSpec, toKernelSpec } from '../launch/kernelspecs';
import type { KernelRecord } from './kernel-record-store';
import { type KernelContext, type KernelSession, openKernelSession } from './kernel-session';

/**
 * The kernel of one notebook (studioId + path), shared by everyone who runs its cells: its
 * process in the Studio, the connection to it, and its state as the notebook shows it.
 * Lifecycle operations run one at a time, in the order asked.
 */
export class Kernel implements Disposable {
  readonly studioId: string;
  readonly path: string;
  readonly #context: KernelContext;
  readonly #states = new ListenerSet<KernelState>();
  #spec: StudioKernelSpec;
  #record: KernelRecord | undefined;
  #session: KernelSession | undefined;
  #sessionListener: Disposable | undefined;
  #state: KernelState;
  #kernelBusy = false;
  #reportedBusy = false;
  #idleTimer: Disposable | undefined;
  #lifecycle: Promise<unknown> = Promise.resolve();
  #disposed = false;

  constructor(context: KernelContext, studioId: string, path: string, spec: StudioKernelSpec) {
    this.#context = context;
    this.studioId = studioId;
    this.path = path;
    this.#spec = spec;
    this.#state = {
      status: 'none',
      spec: toKernelSpec(spec),
      message: null,
      startedAt: null,
      startedBy: null,
    };
  }

  get state(): KernelState {
    return this.#state;
  }

  get spec(): StudioKernelSpec {
    return this.#spec;
  }

  /** Every state change (status, spec, message), for the notebook's shared kernel map. */
  onState(listener: (state: KernelState) => void): Disposable {
    return this.#states.add(listener);
  }

  /** Whether the kernel runs something now (what keeps the Studio awake). */
  get busy(): boolean {
    return this.#reportedBusy;
  }

  /** Resolves once the lifecycle operations asked so far have finished (whatever their outcome). */
  settled(): Promise<void> {
    return this.#lifecycle.then(() => {});
  }

  /** Starts a new kernel process (after a failure, death or shutdown too). */
  start(by: NotebookUser | null, spec: StudioKernelSpec = this.#spec): Promise<void> {
    return this.#serially(async () => {
      await this.#stopProcess();
      this.#spec = spec;
      await this.#launch(by, 'starting');
    });
  }

  /** Connects to a kernel started before the server restarted; false (and forgotten) if it is gone. */
  reattach(record: KernelRecord): Promise<boolean> {
    return this.#serially(async () => {
      this.#record = record;
      this.#setState({
        status: 'starting',
        message: 'Reconnecting',
        startedAt: record.startedAt,
        startedBy: record.startedBy,
      });
      try {
        if (!(await kernelAlive(this.#context.driver, this.studioId, record.process)))
          throw new Error('not running');
        this.#connected(await this.#open(record));
        return true;
      } catch (error) {
        this.#context.log.info('kernel not reattached', { studioId: this.studioId, error: String(error) });
        await this.#stopProcess();
        this.#setState({ status: 'none', message: null, startedAt: null, startedBy: null });
        return false;
      }
    });
  }

  /** Runs code; throws `kernel_not_running` when there is no live kernel. */
  async execute(code: string, options: ExecuteOptions = {}): Promise<ExecuteResult> {
    const connection = this.#live().connection;
    this.#cancelIdle();
    const running = connection.execute(code, options);
    this.#updateBusy();
    try {
      return await running;
    } finally {
      this.#updateBusy();
    }
  }

  /** Answers the pending `input()`; false when nothing waits for input. */
  inputReply(value: string): boolean {
    return this.#session?.connection.inputReply(value) ?? false;
  }

  /**
   * Interrupts what runs: `interrupt_request` on control when the kernelspec asks for messages,
   * SIGINT to the kernel process inside the Studio otherwise (Jupyter's default, `signal`).
   */
  async interrupt(): Promise<void> {
    const session = this.#live();
    if (this.#spec.interrupt_mode === 'message') return session.connection.interrupt();
    if (this.#record) await signalInterrupt(this.#context.driver, this.studioId, this.#record.process);
  }

  /** A fresh process with the same spec: state and execution count start over. */
  restart(by: NotebookUser | null): Promise<void> {
    return this.#serially(async () => {
      this.#setState({ status: 'restarting', message: null });
      await this.#stopProcess();
      await this.#launch(by ?? this.#state.startedBy, 'restarting');
    });
  }

  /** Shuts the kernel down (and its process, and its record). */
  shutdown(): Promise<void> {
    return this.#serially(async () => {
      await this.#stopProcess();
      this.#setState({ status: 'none', message: null, startedAt: null, startedBy: null });
    });
  }

  /**
   * Lets go of the kernel without stopping it (the server is stopping): its record stays, so
   * the next server reattaches to it.
   */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#cancelIdle();
    this.#closeSession();
    this.#setBusy(false);
    this.#states.clear();
  }

  /** For leak tests: relayed connections still open. */
  get openRelays(): number {
    return this.#session?.relays.openConnections ?? 0;
  }

  async #launch(by: NotebookUser | null, status: KernelStatus): Promise<void> {
    const { driver, store } = this.#context;
    this.#setState({ status, message: 'Starting the kernel', startedBy: by });
    try {
      const cwd = this.path.includes('/') ? this.path.slice(0, this.path.lastIndexOf('/')) : '.';
      const process = await launchKernel(driver, this.studioId, this.#spec, { cwd });
      const startedAt = new Date(this.#context.clock.now()).toISOString();
      const record = {
        studioId: this.studioId,
        path: this.path,
        spec: this.#spec,
        process,
        startedAt,
        startedBy: by,
      };
      this.#record = record;
      // Recorded before connecting: a server that stops now still finds (and ends) the process.
      await store.put(record);
      this.#connected(await this.#open(record));
    } catch (error) {
      await this.#stopProcess();
      const message = error instanceof Error ? error.message : String(error);
      this.#setState({ status: 'failed', message, startedAt: null });
      throw error instanceof StudiosError
        ? error
        : new StudiosError(ErrorCode.KernelUnavailable, message, { cause: error });
    }
  }

  #open(record: KernelRecord): Promise<KernelSession> {
    const { ports, clock, log, readyTimeoutMs, tuning } = this.#context;
    return openKernelSession(this.studioId, record.process, { ports, clock, log, readyTimeoutMs, tuning });
  }

  #connected(session: KernelSession): void {
    if (this.#disposed) {
      session.dispose();
      return;
    }
    this.#session = session;
    this.#sessionListener = session.connection.onActivity((activity) => this.#activity(activity));
    const record = this.#record;
    this.#setState({
      status: 'idle',
      message: null,
      startedAt: record?.startedAt ?? null,
      startedBy: record?.startedBy ?? null,
    });
    this.#updateBusy();
  }

  #activity(activity: KernelActivity): void {
    if (activity === 'dead') {
      void this.#serially(async () => {
        this.#closeSession();
        await this.#stopProcess();
        this.#setState({ status: 'dead', message: 'The kernel stopped responding. Restart it to go on.' });
      });
      return;
    }
    // `starting` is only the kernel's first word; it says nothing about work.
    if (activity === 'starting') return;
    this.#kernelBusy = activity === 'busy';
    const live = this.#state.status === 'idle' || this.#state.status === 'busy';
    // Every request makes the kernel say busy, then idle (kernel_info too): report changes only.
    if (live && this.#state.status !== activity) this.#setState({ status: activity });
    this.#updateBusy();
  }

  /** Asks the kernel to exit, then makes sure: kills its process group and deletes its files. */
  async #stopProcess(): Promise<void> {
    const session = this.#session;
    if (session) {
      session.connection.abortAll();
      await session.connection.shutdown(false, 2000).catch(() => {});
    }
    this.#closeSession();
    const record = this.#record;
    this.#record = undefined;
    if (!record) return;
    const { driver, store, log } = this.#context;
    try {
      // A kernel that was asked to shut down gets a moment to finish on its own.
      await killKernel(driver, this.studioId, record.process, session ? 1000 : 0);
    } catch (error) {
      // The Studio is stopped or gone: its processes went with it.
      log.debug('kernel process not reachable', { studioId: this.studioId, error: String(error) });
    }
    await store.delete(this.studioId, this.path);
  }

  #closeSession(): void {
    this.#sessionListener?.dispose();
    this.#sessionListener = undefined;
    this.#session?.dispose();
    this.#session = undefined;
    this.#kernelBusy = false;
    this.#updateBusy();
  }

  #live(): KernelSession {
    if (!this.#session || this.#disposed) {
      throw new StudiosError(
        ErrorCode.KernelNotRunning,
        'The notebook has no running kernel; start it first.',
      );
    }
    return this.#session;
  }

  #updateBusy(): void {
    const pending = this.#session?.connection.pendingExecutions ?? 0;
    this.#setBusy(pending > 0 || this.#kernelBusy);
    if (this.#reportedBusy) this.#cancelIdle();
    else this.#scheduleIdle();
  }

  #setBusy(busy: boolean): void {
    if (busy === this.#reportedBusy) return;
    this.#reportedBusy = busy;
    this.#context.onBusyChange(this, busy);
  }

  #scheduleIdle(): void {
    const { idleShutdownMs, clock } = this.#context;
    if (this.#idleTimer || idleShutdownMs <= 0 || this.#disposed) return;
    if (this.#state.status === 'none' || this.#state.status === 'failed') return;
    this.#idleTimer = clock.setTimeout(() => {
      this.#idleTimer = undefined;
      this.#context.onIdle(this);
    }, idleShutdownMs);
  }

  #cancelIdle(): void {
    this.#idleTimer?.dispose();
    this.#idleTimer = undefined;
  }

  #setState(change: Partial<KernelState>): void {
    this.#state = { ...this.#state, ...change, spec: toKernelSpec(this.#spec) };
    if (this.#state.status === 'none' || this.#state.status === 'failed') this.#cancelIdle();
    this.#states.emit(this.#state);
  }

  #serially<T>(work: () => Promise<T>): Promise<T> {
    const next = this.#lifecycle.then(work, work);
    this.#lifecycle = next.catch(() => {});
    return next;
  }
}
