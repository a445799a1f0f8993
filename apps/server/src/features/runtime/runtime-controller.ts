import type { Clock, Logger } from '@studios/base';
import {
  ErrorCode,
  type MachineType,
  type StudioRuntimeStatus,
  type StudioState,
  StudiosError,
} from '@studios/protocol';
import {
  IdleMonitor,
  isRuntimeError,
  type Progress,
  type RuntimeDriver,
  type RuntimeStatus,
} from '@studios/runtime';
import type { Database } from '../../db/database';
import { StudiosRepo } from '../../db/studios-repo';
import { errors } from '../../errors';
import { isoTime } from '../../iso-time';
import { describeError } from '../../logger';
import type { StudioEventHub } from '../../services/event-hub';
import type { StudiosService } from '../../services/studios-service';

/** The Studio's runtime message while its machine type's image is being built. */
export const IMAGE_BUILD_MESSAGE = 'Building the Studio image (first start on this host, about 3–5 minutes)…';

export interface RuntimeControllerOptions {
  driver: RuntimeDriver;
  studios: StudiosService;
  db: Database;
  events: StudioEventHub;
  log: Logger;
  clock: Clock;
  /** 0 disables idle sleep. */
  idleMinutes: number;
}

/**
 * Runs Studios through the driver and keeps the `studios` table and the events sockets in step
 * with what really happens. Requests return at once with `starting`/`stopping`; the outcome
 * arrives as a `runtime` event. One operation per Studio at a time: while one runs, the driver's
 * own events for that Studio are ignored and a repeated request just reports the current state.
 */
export class RuntimeController {
  readonly #options: RuntimeControllerOptions;
  readonly #busy = new Map<string, Promise<void>>();
  readonly #idle: IdleMonitor | undefined;
  readonly #subscription: { dispose(): void };

  constructor(options: RuntimeControllerOptions) {
    this.#options = options;
    if (options.idleMinutes > 0) {
      this.#idle = new IdleMonitor({
        idleMs: options.idleMinutes * 60_000,
        clock: options.clock,
        onWarn: (studioId, stopAt) => {
          options.events.publish(studioId, { type: 'idle-warning', stopAt: stopAt.toISOString() });
          this.#publish(studioId);
        },
        onWarningCancelled: (studioId) => this.#publish(studioId),
        onStop: (studioId) => {
          void this.stop(studioId, `Stopped after ${options.idleMinutes} minutes without activity.`);
        },
      });
    }
    this.#subscription = options.driver.onEvent(({ studioId, status }) => {
      if (this.#busy.has(studioId) || !options.studios.get(studioId)) return;
      this.#record(studioId, status.state, status.message);
    });
  }

  get idle(): IdleMonitor | undefined {
    return this.#idle;
  }

  /** The Studio's runtime status as clients see it. */
  status(studioId: string): StudioRuntimeStatus {
    const studio = this.#options.studios.get(studioId);
    if (!studio) throw errors.studioNotFound();
    const stopAt = studio.runtimeState === 'running' ? this.#idle?.stopAt(studioId) : undefined;
    return {
      state: studio.runtimeState,
      machineType: studio.machineType,
      ...(studio.runtimeMessage ? { message: studio.runtimeMessage } : {}),
      ...(stopAt ? { idleStopAt: isoTime(stopAt.getTime()) } : {}),
    };
  }

  /** Wakes the Studio (creating its container the first time). Idempotent. */
  start(studioId: string): StudioRuntimeStatus {
    const current = this.status(studioId);
    this.#idle?.touch(studioId, 'start');
    if (this.#busy.has(studioId) || current.state === 'running') return current;
    this.#record(studioId, 'starting');
    this.#run(studioId, async () => {
      const studio = this.#options.studios.get(studioId);
      const machine = studio && this.#options.studios.machineType(studio.machineType);
      if (!machine) throw new Error(`Studio ${studioId} has an unknown machine type`);
      const workspaceDir = this.#options.studios.workspaceDir(studioId);
      await this.#prepare(studioId, machine, 'starting');
      await this.#options.driver.ensure({ studioId, workspaceDir, machine });
      await this.#options.driver.start(studioId, (message) => this.#progress(studioId, 'start', message));
      this.#record(studioId, 'running');
    });
    return this.status(studioId);
  }

  /**
   * Wakes the Studio and resolves once it runs, for channels that need its processes at once (an
   * SSH login): waits out an operation in flight (a stop that is finishing is followed by a
   * start), passes on progress lines, and rejects with `studio_not_running` and the reason when
   * it cannot start.
   */
  async whenRunning(studioId: string, onProgress?: (message: string) => void): Promise<void> {
    const progress = onProgress
      ? this.#options.events.subscribe(studioId, (event) => {
          if (event.type === 'progress') onProgress(event.message);
        })
      : undefined;
    try {
      // At most: finish what is under way, then one start of our own.
      for (let attempt = 0; attempt < 3; attempt++) {
        await this.#busy.get(studioId);
        const status = this.status(studioId);
        if (status.state === 'running') return;
        if (attempt > 0 && status.state === 'error') {
          throw new StudiosError(
            ErrorCode.StudioNotRunning,
            status.message ?? 'The Studio could not be started.',
          );
        }
        this.start(studioId);
      }
      throw new StudiosError(ErrorCode.StudioNotRunning, 'The Studio did not start. Try again in a moment.');
    } finally {
      progress?.dispose();
    }
  }

  /** Stops the Studio, keeping its files and installed packages. Idempotent. */
  stop(studioId: string, reason?: string): StudioRuntimeStatus {
    const current = this.status(studioId);
    if (this.#busy.has(studioId) || current.state === 'stopped') return current;
    this.#record(studioId, 'stopping');
    this.#run(studioId, async () => {
      await this.#options.driver.stop(studioId);
      this.#record(studioId, 'stopped', reason);
    });
    return this.status(studioId);
  }

  /**
   * Moves the Studio to another machine type. Refuses synchronously what cannot work on this host
   * (a GPU type without a GPU runtime: `gpu_unavailable`); the switch itself reports through events.
   */
  async switchMachine(studioId: string, machine: MachineType): Promise<StudioRuntimeStatus> {
    const current = this.status(studioId);
    if (current.machineType === machine.id) return current;
    if (this.#busy.has(studioId)) throw errors.conflict('The Studio is busy; try again in a moment.');
    // A RuntimeError reaches the caller as it is; the HTTP edge maps its code to a status.
    await this.#options.driver.checkMachine?.(machine);
    const before = current.state;
    if (before !== 'stopped') this.#record(studioId, 'starting', `Switching to ${machine.label}`);
    this.#run(studioId, async () => {
      try {
        await this.#prepare(studioId, machine, before === 'stopped' ? 'stopped' : 'starting');
        await this.#options.driver.switchMachine(studioId, machine, (message) =>
          this.#progress(studioId, 'machine', message),
        );
      } catch (error) {
        // Never started: there is no container to move; the next start creates it on the new type.
        if (!isRuntimeError(error, 'not_found')) {
          const status = await this.#options.driver.status(studioId).catch(() => undefined);
          this.#record(studioId, status?.state ?? before, messageOf(error));
          return;
        }
      }
      this.#options.studios.setMachineType(studioId, machine.id);
      const status = await this.#options.driver.status(studioId);
      this.#record(studioId, status.state, status.message);
    });
    return this.status(studioId);
  }

  /** After a server restart: believe the engine, not the table. */
  async reconcile(): Promise<void> {
    const live = new Map((await this.#options.driver.list()).map((entry) => [entry.studioId, entry.status]));
    for (const studioId of new StudiosRepo(this.#options.db).allIds()) {
      const status: RuntimeStatus = live.get(studioId) ?? { state: 'stopped' };
      const studio = this.#options.studios.get(studioId);
      if (!studio) continue;
      const message =
        status.message ?? (status.state === studio.runtimeState ? studio.runtimeMessage : undefined);
      this.#record(studioId, status.state, message ?? undefined);
    }
  }

  /** The Studio is being deleted: its container and network go too. */
  async remove(studioId: string): Promise<void> {
    await this.#busy.get(studioId)?.catch(() => {});
    this.#idle?.unwatch(studioId);
    await this.#options.driver.remove(studioId);
  }

  /** Waits for the operations in flight (tests, shutdown). */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.#busy.values()]);
  }

  async dispose(): Promise<void> {
    this.#subscription.dispose();
    this.#idle?.dispose();
    await this.settled();
  }

  #run(studioId: string, operation: () => Promise<void>): void {
    const running = operation()
      .catch((error: unknown) => {
        this.#options.log.warn('runtime operation failed', { studioId, ...describeError(error) });
        this.#record(studioId, 'error', messageOf(error));
      })
      .finally(() => {
        if (this.#busy.get(studioId) === running) this.#busy.delete(studioId);
      });
    this.#busy.set(studioId, running);
  }

  #record(studioId: string, state: StudioState, message?: string): void {
    if (!this.#options.studios.get(studioId)) return;
    this.#options.studios.setRuntimeState(studioId, state, message);
    if (state === 'running') this.#idle?.watch(studioId);
    else this.#idle?.unwatch(studioId);
    this.#publish(studioId);
  }

  #publish(studioId: string): void {
    if (!this.#options.studios.get(studioId)) return;
    this.#options.events.publish(studioId, { type: 'runtime', status: this.status(studioId) });
  }

  #progress(studioId: string, operation: string, message: string, fraction?: number): void {
    this.#options.events.publish(studioId, {
      type: 'progress',
      operation,
      message,
      ...(fraction === undefined ? {} : { fraction }),
    });
  }

  /**
   * Builds the machine type's image when the driver can and it is missing (once per host, shared
   * by every Studio waiting for it); the Studio's message says so while it lasts.
   */
  async #prepare(studioId: string, machine: MachineType, state: StudioState): Promise<void> {
    let building = false;
    await this.#options.driver.prepare?.(machine, (progress: Progress) => {
      if (!building) {
        building = true;
        this.#record(studioId, state, IMAGE_BUILD_MESSAGE);
      }
      this.#progress(studioId, 'image-build', progress.message, progress.fraction);
    });
    if (building) this.#record(studioId, state);
  }
}

function messageOf(error: unknown): string {
  if (isRuntimeError(error)) return error.message;
  return 'The Studio could not be started because of an internal error. Check the server log.';
}
