import type { Clock } from '@studios/base';

/**
 * Reports traffic at most once per `intervalMs`: a large transfer moves thousands of chunks a
 * second, and the backend only needs to know that the Studio is in use.
 */
export function throttled(clock: Clock, intervalMs: number, report: () => void): () => void {
  let last = Number.NEGATIVE_INFINITY;
  return () => {
    const now = clock.now();
    if (now - last < intervalMs) return;
    last = now;
    report();
  };
}
