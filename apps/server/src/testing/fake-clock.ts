import type { Clock, Disposable } from '../clock';

/** A clock that moves only when told to; timers fire during `advance`. */
export class FakeClock implements Clock {
  private timers: Array<{ at: number; callback: () => void; id: number }> = [];
  private nextId = 0;

  constructor(private current = Date.parse('2026-01-01T00:00:00Z')) {}

  now(): number {
    return this.current;
  }

  setTimeout(callback: () => void, ms: number): Disposable {
    const id = this.nextId++;
    this.timers.push({ at: this.current + ms, callback, id });
    return { dispose: () => (this.timers = this.timers.filter((timer) => timer.id !== id)) };
  }

  /** Moves time forward, firing due timers in order. */
  advance(ms: number): void {
    const target = this.current + ms;
    for (;;) {
      const due = this.timers.filter((timer) => timer.at <= target).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.timers = this.timers.filter((timer) => timer !== due);
      this.current = due.at;
      due.callback();
    }
    this.current = target;
  }
}
