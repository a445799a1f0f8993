export interface RateLimiterOptions {
  /** Failures allowed inside the window before further attempts are refused. */
  maxFailures: number;
  windowMs: number;
  clock: Pick<Clock, 'now'>;
  /** Keys tracked at most; the oldest are forgotten first so memory stays bounded. */
  maxKeys?: number;
}

/** Result of asking whether an attempt may go ahead. */
export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * Counts failures per key (e.g. email + IP) in a sliding window, in memory. Enough for one
 * server process; a shared store can implement the same methods later.
 */
export class FailureRateLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(private readonly options: RateLimiterOptions) {}

  /** Whether an attempt for `key` may proceed now. */
  check(key: string): RateDecision {
    const recent = this.recent(key);
    if (recent.length < this.options.maxFailures) return { allowed: true };
    const oldest = recent[recent.length - this.options.maxFailures] as number;
    const retryAfterMs = oldest + this.options.windowMs - this.options.clock.now();
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(retryAfterMs / 1000)) };
  }

  recordFailure(key: string): void {
    const recent = this.recent(key);
    recent.push(this.options.clock.now());
    // Re-insert so Map order is least-recently-failed first.
    this.failures.delete(key);
    this.failures.set(key, recent);
    const maxKeys = this.options.maxKeys ?? 100_000;
    while (this.failures.size > maxKeys) {
      const oldestKey = this.failures.keys().next().value as string;
      this.failures.delete(oldestKey);
    }
  }

  /** Forgets a key's failures, e.g. after a successful login. */
  reset(key: string): void {
    this.failures.delete(key);
  }

  private recent(key: string): number[] {
    const since = this.options.clock.now() - this.options.windowMs;
    const recent = (this.failures.get(key) ?? []).filter((at) => at > since);
    if (recent.length === 0) this.failures.delete(key);
    else this.failures.set(key, recent);
    return recent;
  }
}

import type { Clock } from '@studios/base';
