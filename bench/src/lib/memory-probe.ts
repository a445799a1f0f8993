import type { ChildServer } from './child-server';
import { delay } from './delay';

/** Memory of a server after a forced GC, once its RSS has stopped moving. */
export interface SettledMemory {
  rssBytes: number;
  heapUsedBytes: number;
}

/**
 * Forces GC in the child (through its inspector) and samples RSS until three consecutive samples
 * agree within 1% or `timeoutMs` passes: timers such as save debounces and idle unloads may still
 * be releasing memory right after a load ends.
 */
export async function settledMemory(child: ChildServer, timeoutMs = 15_000): Promise<SettledMemory> {
  const deadline = performance.now() + timeoutMs;
  const recent: number[] = [];
  for (;;) {
    await child.collectGarbage();
    recent.push(await child.rssBytes());
    if (recent.length > 3) recent.shift();
    const stable =
      recent.length === 3 && (Math.max(...recent) - Math.min(...recent)) / Math.max(...recent) < 0.01;
    if (stable || performance.now() > deadline) break;
    await delay(500);
  }
  return { rssBytes: recent[recent.length - 1] ?? Number.NaN, heapUsedBytes: await child.heapUsedBytes() };
}

/** Signed change from `before` to `after`, in percent of `before`. */
export function percentChange(before: number, after: number): number {
  return ((after - before) / before) * 100;
}
