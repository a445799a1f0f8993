/**
 * The few host features base needs, typed here because its tsconfig has neither the DOM lib nor
 * `@types/node`: both browsers and Node provide these on `globalThis`. Not exported from the
 * package; callers use `systemClock` and `ListenerSet`.
 */
export interface Host {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  setInterval(callback: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
  queueMicrotask(callback: () => void): void;
}

/** `globalThis` seen through {@link Host}. */
export const host = globalThis as unknown as Host;

/**
 * Lets the process exit while `handle` is pending, where the host supports it (Node's Timeout
 * has `unref`; a browser's numeric handle has nothing to unref).
 */
export function unrefTimer(handle: unknown): void {
  if (typeof handle === 'object' && handle !== null && 'unref' in handle) {
    const unref = (handle as { unref: unknown }).unref;
    if (typeof unref === 'function') unref.call(handle);
  }
}
