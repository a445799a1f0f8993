import type { Clock, TimerHandle } from '../clock';

interface Timer {
  at: number;
  every: number | null;
  callback: () => void;
}

/** A clock that only moves when a test calls `advance`, for heartbeat and debounce logic. */
export class ManualClock implements Clock {
  #now = 0;
  readonly #timers = new Map<TimerHandle, Timer>();

  now(): number {
    return this.#now;
  }

  setTimeout(callback: () => void, ms: number): TimerHandle {
    const handle = {};
    this.#timers.set(handle, { at: this.#now + ms, every: null, callback });
    return handle;
  }

  clearTimeout(handle: TimerHandle): void {
    this.#timers.delete(handle);
  }

  setInterval(callback: () => void, ms: number): TimerHandle {
    const handle = {};
    this.#timers.set(handle, { at: this.#now + ms, every: ms, callback });
    return handle;
  }

  clearInterval(handle: TimerHandle): void {
    this.#timers.delete(handle);
  }

  /** Moves time forward, firing due timers in order. */
  advance(ms: number): void {
    const target = this.#now + ms;
    for (;;) {
      let next: [TimerHandle, Timer] | undefined;
      for (const entry of this.#timers)
        if (entry[1].at <= target && (!next || entry[1].at < next[1].at)) next = entry;
      if (!next) break;
      const [handle, timer] = next;
      this.#now = timer.at;
      if (timer.every === null) this.#timers.delete(handle);
      else timer.at += timer.every;
      timer.callback();
    }
    this.#now = target;
  }
}
