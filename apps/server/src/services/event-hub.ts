import type { Disposable } from '@studios/base';
import type { StudioEvent } from '@studios/protocol';

type EventListener = (event: StudioEvent) => void;

/**
 * Fan-out of per-Studio notifications (runtime state, file changes, renames) to the events
 * sockets. In-process; a multi-node deployment can swap in one backed by a message bus.
 */
export class StudioEventHub {
  private readonly listeners = new Map<string, Set<EventListener>>();

  publish(studioId: string, event: StudioEvent): void {
    const listeners = this.listeners.get(studioId);
    if (!listeners) return;
    for (const listener of [...listeners]) listener(event);
  }

  subscribe(studioId: string, listener: EventListener): Disposable {
    let set = this.listeners.get(studioId);
    if (!set) {
      set = new Set();
      this.listeners.set(studioId, set);
    }
    set.add(listener);
    const owned = set;
    return {
      dispose: () => {
        owned.delete(listener);
        if (owned.size === 0 && this.listeners.get(studioId) === owned) this.listeners.delete(studioId);
      },
    };
  }

  /** Open subscriptions, for leak checks in tests. */
  get subscriberCount(): number {
    let count = 0;
    for (const set of this.listeners.values()) count += set.size;
    return count;
  }
}
