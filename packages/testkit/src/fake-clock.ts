/**
 * A timer started by {@link FakeClock}: disposable (the server's `Clock` shape) and also an opaque
 * handle for `clearTimeout`/`clearInterval` (the runtime's and collab's shape).
 */
export interface FakeTimer {
  dispose(): void;
}

interface PendingTimer {
  at: number;
  /** Repeat period for intervals; null for one-shot timers. */
  every: number | null;
  /** Creation order, so timers due at the same moment fire in the order they were set. */
  order: number;
  callback: () => void;
}

/**
 * A clock that moves only when a test calls `advance`; timers fire in due order inside it. Its
 * shape satisfies each package's own `Clock` interface (runtime, server, collab), which stays the
 * product-side type: tests pass a `FakeClock` wherever a `Clock` is taken (house rule 7).
 */
export class FakeClock {
  #now: number;
  #order = 0;
  readonly #timers = new Map<FakeTimer, PendingTimer>();

  /** Starts at `start` ms since the epoch (default 2026-01-01T00:00:00Z). */
  constructor(start = Date.UTC(2026, 0, 1)) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  setTimeout(callback: () => void, ms: number): FakeTimer {
    return this.#add(callback, Math.max(0, ms), null);
  }

  clearTimeout(handle: object): void {
    this.#timers.delete(handle as FakeTimer);
  }

  setInterval(callback: () => void, ms: number): FakeTimer {
    // A zero period would fire forever inside one `advance`.
    const every = Math.max(1, ms);
    return this.#add(callback, every, every);
  }

  clearInterval(handle: object): void {
    this.#timers.delete(handle as FakeTimer);
  }

  /** Moves time forward by `ms`, firing every timer that falls due on the way, in due order. */
  advance(ms: number): void {
    const end = this.#now + ms;
    for (;;) {
      let next: [FakeTimer, PendingTimer] | undefined;
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

  #add(callback: () => void, delay: number, every: number | null): FakeTimer {
    const handle: FakeTimer = { dispose: () => this.#timers.delete(handle) };
    this.#timers.set(handle, { at: this.#now + delay, every, order: this.#order++, callback });
    return handle;
  }
}
