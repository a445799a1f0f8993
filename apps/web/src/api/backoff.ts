/** Options for exponential reconnect backoff with jitter. */
export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
  /** Returns a number in [0, 1); injected so tests are deterministic. */
  random: () => number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 500, maxMs: 15_000, random: Math.random };

/**
 * Delay before reconnect attempt `attempt` (0-based): doubling from `baseMs`, capped at
 * `maxMs`, with "equal jitter" so a server restart is not met by every client at once.
 */
export function backoffDelay(attempt: number, options: BackoffOptions = DEFAULT_BACKOFF): number {
  const exponential = Math.min(options.maxMs, options.baseMs * 2 ** Math.max(0, attempt));
  const half = exponential / 2;
  return Math.round(half + half * options.random());
}
