import { type Clock, type Disposable, type Logger, silentLogger, systemClock } from '@studios/base';
import {
  ErrorCode,
  type KernelSpecList,
  type KernelState,
  type NotebookUser,
  StudiosError,
} from '@studios/protocol';
import type { RuntimeDriver } from '@studios/runtime';
import {
  findKernelSpecs,
  PREFERRED_DEFAULT_KERNEL,
  type StudioKernelSpec,
  toKernelSpecList,
} from '../launch/kernelspecs';
import type { KernelPorts } from '../ports/kernel-ports';
import { Kernel } from './kernel';
import { type KernelRecordStore, recordKey } from './kernel-record-store';
import type { ConnectionTuning, KernelContext } from './kernel-session';

/** Default: a kernel that ran nothing for an hour is shut down (its memory goes back to the Studio). */
export const DEFAULT_KERNEL_IDLE_SHUTDOWN_MS = 60 * 60 * 1000;

export interface KernelManagerOptions {
  /** Runs processes inside Studios (kernelspec discovery, launch, signals). */
  driver: RuntimeDriver;
  /** Reaches kernel ports inside Studios (a {@link RelayedKernelPorts} over the agents). */
  ports: KernelPorts;
  /** Remembers running kernels across server restarts. */
  store: KernelRecordStore;
  clock?: Clock;
  log?: Logger;
  /** Shut a kernel down after this long without running anything; 0 never. Default 1 h. */
  idleShutdownMs?: number;
  /** How long a new kernel may take to answer `kernel_info`. Default 60 s. */
  readyTimeoutMs?: number;
  /** Heartbeat and output timing of connections (tests shorten them). */
  tuning?: ConnectionTuning;
  /** A notebook's kernel started or stopped running something (feed `StudioActivity.setBusy`). */
  onBusyChange?(studioId: string, path: string, busy: boolean): void;
  /** A notebook's kernel state changed (write it to the notebook's shared kernel map). */
  onStateChange?(studioId: string, path: string, state: KernelState): void;
}

/**
 * Every kernel the server runs: one per notebook (studioId + path), shared by everyone editing
 * it. Kernels outlive the server: {@link reattach} reconnects to those its store remembers (or
 * ends them), and {@link dispose} lets go of them without stopping them.
 */
export class KernelManager implements Disposable {
  readonly #options: KernelManagerOptions;
  readonly #context: KernelContext;
  readonly #kernels = new Map<string, Kernel>();
  readonly #subscriptions = new Map<Kernel, Disposable>();
  readonly #starts = new Map<string, Promise<Kernel>>();
  /**
   * Settles once {@link reattach} has decided about every remembered kernel. Starts wait for it,
   * so a request arriving while the server boots never launches a second kernel beside the one
   * it is reattaching to.
   */
  #reattached: Promise<unknown> = Promise.resolve();

  constructor(options: KernelManagerOptions) {
    this.#options = options;
    this.#context = {
      driver: options.driver,
      ports: options.ports,
      store: options.store,
      clock: options.clock ?? systemClock,
      log: options.log ?? silentLogger,
      readyTimeoutMs: options.readyTimeoutMs ?? 60_000,
      idleShutdownMs: options.idleShutdownMs ?? DEFAULT_KERNEL_IDLE_SHUTDOWN_MS,
      tuning: options.tuning ?? {},
      onIdle: (kernel) => void this.#shutdownKernel(kernel).catch(() => {}),
      onBusyChange: (kernel, busy) => options.onBusyChange?.(kernel.studioId, kernel.path, busy),
    };
  }

  /** The Studio's kernelspecs; `kernel_unavailable` when it has none (no Python, no ipykernel). */
  async kernelSpecs(studioId: string): Promise<KernelSpecList> {
    return toKernelSpecList(await findKernelSpecs(this.#options.driver, studioId));
  }

  /** The notebook's kernel, if one was started (in any state). */
  get(studioId: string, path: string): Kernel | undefined {
    return this.#kernels.get(recordKey(studioId, path));
  }

  /** The notebook's kernel state (`none` when it has none). */
  state(studioId: string, path: string): KernelState {
    return (
      this.get(studioId, path)?.state ?? {
        status: 'none',
        spec: null,
        message: null,
        startedAt: null,
        startedBy: null,
      }
    );
  }

  /** The notebook's live kernel; `kernel_not_running` otherwise. */
  running(studioId: string, path: string): Kernel {
    const kernel = this.get(studioId, path);
    if (!kernel || (kernel.state.status !== 'idle' && kernel.state.status !== 'busy')) {
      throw new StudiosError(
        ErrorCode.KernelNotRunning,
        'The notebook has no running kernel; start it first.',
      );
    }
    return kernel;
  }

  /**
   * Starts the notebook's kernel: `kernelName`, else the spec it ran before, else the Studio's
   * default. A live kernel of that spec is returned as is; another spec replaces it (change kernel).
   */
  start(
    studioId: string,
    path: string,
    options: { kernelName?: string; by?: NotebookUser } = {},
  ): Promise<Kernel> {
    // One start at a time per notebook: two people pressing Run at once share one kernel.
    const key = recordKey(studioId, path);
    const started = Promise.allSettled([this.#starts.get(key), this.#reattached]).then(() =>
      this.#start(studioId, path, options),
    );
    this.#starts.set(key, started);
    void started
      .finally(() => {
        if (this.#starts.get(key) === started) this.#starts.delete(key);
      })
      .catch(() => {});
    return started;
  }

  async #start(
    studioId: string,
    path: string,
    options: { kernelName?: string; by?: NotebookUser },
  ): Promise<Kernel> {
    const existing = this.get(studioId, path);
    const sameSpec = !options.kernelName || options.kernelName === existing?.spec.name;
    if (existing && sameSpec) {
      // A restart under way finishes first; a kernel that came out of it live is the answer.
      await existing.settled();
      if (existing.state.status === 'idle' || existing.state.status === 'busy') return existing;
    }
    const spec = await this.#spec(studioId, options.kernelName ?? existing?.spec.name);
    const kernel = existing ?? this.#add(new Kernel(this.#context, studioId, path, spec));
    await kernel.start(options.by ?? null, spec);
    return kernel;
  }

  /** Interrupts what the notebook's kernel runs. */
  interrupt(studioId: string, path: string): Promise<void> {
    return this.running(studioId, path).interrupt();
  }

  /** Restarts the notebook's kernel (a dead one too). */
  async restart(studioId: string, path: string, by?: NotebookUser): Promise<void> {
    const kernel = this.get(studioId, path);
    if (!kernel || kernel.state.status === 'none') {
      throw new StudiosError(ErrorCode.KernelNotRunning, 'The notebook has no kernel to restart.');
    }
    await kernel.restart(by ?? null);
  }

  /** Shuts the notebook's kernel down; nothing happens when it has none. */
  async shutdown(studioId: string, path: string): Promise<void> {
    const kernel = this.get(studioId, path);
    if (kernel) await this.#shutdownKernel(kernel);
  }

  /** The Studio stops (or is deleted): every kernel of it is shut down and forgotten. */
  async shutdownStudio(studioId: string): Promise<void> {
    const kernels = [...this.#kernels.values()].filter((kernel) => kernel.studioId === studioId);
    await Promise.all(kernels.map((kernel) => this.#shutdownKernel(kernel)));
    // Records of kernels this server never attached (a failed reattach) go too.
    for (const record of await this.#options.store.list()) {
      if (record.studioId === studioId) await this.#options.store.delete(studioId, record.path);
    }
  }

  /**
   * After a server start: reconnects to every remembered kernel that still runs, and ends and
   * forgets the others (their process, connection file and record), so none is left orphaned.
   * Clears the ports' leftovers first. Starts asked for meanwhile wait until it is done.
   */
  reattach(): Promise<{ reattached: number; forgotten: number }> {
    const work = this.#reattach();
    this.#reattached = work.catch(() => {});
    return work;
  }

  async #reattach(): Promise<{ reattached: number; forgotten: number }> {
    await this.#options.ports.removeLeftovers?.();
    let reattached = 0;
    let forgotten = 0;
    for (const record of await this.#options.store.list()) {
      const kernel = this.#add(new Kernel(this.#context, record.studioId, record.path, record.spec));
      if (await kernel.reattach(record)) reattached += 1;
      else {
        forgotten += 1;
        this.#remove(kernel);
      }
    }
    return { reattached, forgotten };
  }

  /** Kernels known now (tests and the admin's view). */
  get size(): number {
    return this.#kernels.size;
  }

  /** Lets go of every kernel without stopping it; the next server reattaches. */
  dispose(): void {
    for (const kernel of [...this.#kernels.values()]) this.#remove(kernel);
  }

  async #spec(studioId: string, name: string | undefined): Promise<StudioKernelSpec> {
    const specs = await findKernelSpecs(this.#options.driver, studioId);
    const wanted = name ?? PREFERRED_DEFAULT_KERNEL;
    const spec = specs.find((candidate) => candidate.name === wanted) ?? (name ? undefined : specs[0]);
    if (!spec) throw new StudiosError(ErrorCode.KernelUnavailable, `The Studio has no kernel named ${name}.`);
    return spec;
  }

  async #shutdownKernel(kernel: Kernel): Promise<void> {
    try {
      await kernel.shutdown();
    } finally {
      if (this.#kernels.get(recordKey(kernel.studioId, kernel.path)) === kernel) this.#remove(kernel);
    }
  }

  #add(kernel: Kernel): Kernel {
    this.#kernels.set(recordKey(kernel.studioId, kernel.path), kernel);
    this.#subscriptions.set(
      kernel,
      kernel.onState((state) => this.#options.onStateChange?.(kernel.studioId, kernel.path, state)),
    );
    return kernel;
  }

  #remove(kernel: Kernel): void {
    this.#subscriptions.get(kernel)?.dispose();
    this.#subscriptions.delete(kernel);
    this.#kernels.delete(recordKey(kernel.studioId, kernel.path));
    kernel.dispose();
  }
}
