import type { Clock } from '@studios/base';
import type Docker from 'dockerode';
import type { RuntimeEvent, RuntimeStatus } from '../driver';
import { KeyedQueue } from '../keyed-queue';
import { sameStatus } from './container-state';
import { processOutOfMemoryMessage } from './engine-errors';
import { EngineEventStream, type StudioContainerEvent } from './engine-events';
import type { ContainerLifecycle } from './lifecycle';
import { LABEL_MACHINE } from './names';

export interface StatusTrackerOptions {
  docker: Docker;
  clock: Clock;
  lifecycle: ContainerLifecycle;
  emit: (event: RuntimeEvent) => void;
  /** Called on every (re)connection to the engine's event stream, e.g. after a dockerd restart. */
  onConnected?: () => void;
}

/**
 * Turns engine events into Studio status changes. Rather than trusting each event's action,
 * it re-reads the Studio's container and reports the result when it differs from the last
 * report, so duplicate, reordered or missed events (dockerd restarts) cannot leave a wrong
 * state behind. A Studio being switched to another machine is held: its temporary stop and
 * container swap are not reported, only the outcome.
 */
export class StudioStatusTracker {
  readonly #options: StatusTrackerOptions;
  readonly #last = new Map<string, RuntimeStatus>();
  readonly #held = new Set<string>();
  readonly #queue = new KeyedQueue();
  #stream: EngineEventStream | undefined;

  constructor(options: StatusTrackerOptions) {
    this.#options = options;
  }

  /** Starts or stops following the engine's events. */
  follow(on: boolean): void {
    if (on && !this.#stream) {
      this.#stream = new EngineEventStream({
        docker: this.#options.docker,
        clock: this.#options.clock,
        onEvent: (event) => this.#onEngineEvent(event),
        onConnected: () => {
          this.#options.onConnected?.();
          void this.#resync();
        },
      });
    } else if (!on && this.#stream) {
      this.#stream.dispose();
      this.#stream = undefined;
    }
  }

  /** Re-reads one Studio now (after our own start/stop, so callers see the change promptly). */
  refresh(studioId: string, override?: RuntimeStatus): Promise<void> {
    return this.#queue.run(studioId, async () => {
      if (this.#held.has(studioId)) return;
      let status: RuntimeStatus;
      try {
        status = override ?? (await this.#options.lifecycle.status(studioId));
      } catch {
        return; // Engine unreachable: the reconnect resync reports the truth later.
      }
      if (sameStatus(this.#last.get(studioId), status)) return;
      this.#last.set(studioId, status);
      this.#options.emit({ studioId, status });
    });
  }

  hold(studioId: string): void {
    this.#held.add(studioId);
  }

  release(studioId: string): Promise<void> {
    this.#held.delete(studioId);
    return this.refresh(studioId);
  }

  forget(studioId: string): void {
    this.#last.delete(studioId);
  }

  dispose(): void {
    this.follow(false);
    this.#last.clear();
  }

  #onEngineEvent(event: StudioContainerEvent): void {
    if (event.action !== 'oom') {
      void this.refresh(event.studioId);
      return;
    }
    // A process was OOM-killed; the container itself may live on. Say so while it does.
    void this.#options.lifecycle
      .inspect(event.studioId)
      .then((info) => {
        if (!info?.State.Running) return this.refresh(event.studioId);
        const status: RuntimeStatus = {
          state: 'running',
          message: processOutOfMemoryMessage(info.HostConfig.Memory),
        };
        const machineTypeId = info.Config.Labels?.[LABEL_MACHINE];
        return this.refresh(event.studioId, machineTypeId ? { ...status, machineTypeId } : status);
      })
      .catch(() => {});
  }

  async #resync(): Promise<void> {
    let listed: Array<{ studioId: string }>;
    try {
      listed = await this.#options.lifecycle.list();
    } catch {
      return;
    }
    const ids = new Set([...this.#last.keys(), ...listed.map((entry) => entry.studioId)]);
    await Promise.all([...ids].map((studioId) => this.refresh(studioId)));
  }
}
