/** A cancellable timer or subscription. */
export interface Disposable {
  dispose(): void;
}

/**
 * Time as the server sees it. Rate limits, sessions, idle timers and heartbeats take a clock so
 * tests can move time instead of waiting for it.
 */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  /** Runs `callback` once after `ms`; dispose() cancels it. */
  setTimeout(callback: () => void, ms: number): Disposable;
}

/** The real clock. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout(callback, ms) {
    const timer = setTimeout(callback, ms);
    // Timers must never keep a shutting-down process alive.
    timer.unref();
    return { dispose: () => clearTimeout(timer) };
  },
};

/** ISO 8601 text of a clock reading, the format every timestamp in the API uses. */
export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}
