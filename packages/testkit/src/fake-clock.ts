import type { Clock, Disposable } from '@studios/base';

interface PendingTimer {
  at: number;
  /** Repeat period for intervals; null for one-shot timers. */
  every: number | null;
  /** Creation order, so timers due at the same moment fire in the order they were set. */
  order: number;
  callback: () => void;
}

/**
 * The one fake {@link Clock}: it moves only when a test calls `advance`, and timers fire in due
 * order inside it. Tests pass it wherever product code takes a `Clock` (house rule 7).
 */
export class FakeClock implements Clock {
  #now: number;
  #order = 0;
  readonly #timers = new Map<Disposable, PendingTimer>();

  /** Starts at `start` ms since the epoch (default 2026-01-01T00:00:00Z). */
  constructor(start = Date.UTC(2026, 0, 1)) {
    this.#now = start;
  }

  /** The fake time, in ms since the epoch. */
  now(): number {
    return this.#now;
  }

  /** Fires `callback` once `advance` reaches `ms` from now; `dispose()` cancels it. */
  setTimeout(callback: () => void, ms: number): Disposable {
    return this.#add(callback, Math.max(0, ms), null);
  }

  /** Fires `callback` every `ms` of advanced time until `dispose()`. */
  setInterval(callback: () => void, ms: number): Disposable {
    // A zero period would fire forever inside one `advance`.
    const every = Math.max(1, ms);
    return this.#add(callback, every, every);
  }

  /** Moves time forward by `ms`, firing every timer that falls due on the way, in due order. */
  advance(ms: number): void {
    const end = this.#now + ms;
    for (;;) {
      let next: [Disposable, PendingTimer] | undefined;
      for (const entry of this.#timers) {
        const [, timer] = entry;
        if (timer.at > end) continue;
        if (!next || timer.at < next[1].at || (timer.at === next[1].at && timer.order < next[1].order))
          next = entry;
      }
      if (!next) break;
      const [handle, timer] = next;
      this.#now = timer.at;
      if (timer.every === null) this.#timers.delete(handle);
      else {
        timer.at += timer.every;
        timer.order = this.#order++;
      }
      timer.callback();
    }
    this.#now = end;
  }

  /** Timers and intervals still waiting to fire; 0 after a clean shutdown. */
  get pendingTimers(): number {
    return this.#timers.size;
  }

  #add(callback: () => void, delay: number, every: number | null): Disposable {
    const handle: Disposable = { dispose: () => this.#timers.delete(handle) };
    this.#timers.set(handle, { at: this.#now + delay, every, order: this.#order++, callback });
    return handle;
  }
}
