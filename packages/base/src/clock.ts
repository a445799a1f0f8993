import type { Disposable } from './disposable';
import { host, unrefTimer } from './host';

/**
 * Time, injected (house rule 7): idle sleep, debounced saves, heartbeats, rate limits and
 * reconnect backoff take a `Clock`, so tests move time with testkit's `FakeClock` instead of
 * waiting for it. Timers are cancelled by disposing what they return.
 */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  /** Runs `callback` once after `ms`; `dispose()` cancels it. */
  setTimeout(callback: () => void, ms: number): Disposable;
  /** Runs `callback` every `ms` until `dispose()`. */
  setInterval(callback: () => void, ms: number): Disposable;
}

/**
 * The real clock: `Date.now()` and the host's timers. Timers are unref'd where the host can
 * (Node), so a pending save, heartbeat or idle stop never keeps a finishing process alive.
 */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout(callback, ms) {
    const handle = host.setTimeout(callback, ms);
    unrefTimer(handle);
    return { dispose: () => host.clearTimeout(handle) };
  },
  setInterval(callback, ms) {
    const handle = host.setInterval(callback, ms);
    unrefTimer(handle);
    return { dispose: () => host.clearInterval(handle) };
  },
};
