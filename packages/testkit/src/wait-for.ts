import { inspect } from 'node:util';

/** How long and how often {@link waitFor} polls, and what the timeout message calls the wait. */
export interface WaitForOptions {
  /** Give up after this long (default 10 s). */
  timeoutMs?: number;
  /** Pause between probes (default 20 ms). */
  intervalMs?: number;
  /** Named in the timeout message: "Timed out after 5000 ms waiting for <what>". */
  what?: string;
}

/**
 * Polls `probe` until it returns a truthy value, and returns that value. A probe that throws
 * counts as "not yet". After the deadline it fails with a message naming `what` and the last
 * error (or the last value, when the probe never threw), so a failing test says what it saw.
 * Use instead of sleeping (house rule 9).
 */
export async function waitFor<T>(
  probe: () => T | Promise<T>,
  { timeoutMs = 10_000, intervalMs = 20, what = 'condition' }: WaitForOptions = {},
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: { error: unknown } | { value: unknown } = { value: undefined };
  for (;;) {
    try {
      const value = await probe();
      if (value) return value as NonNullable<T>;
      last = { value };
    } catch (error) {
      last = { error };
    }
    // Probes once more at the deadline, so a slow probe still gets its last chance.
    if (Date.now() >= deadline) {
      const seen =
        'error' in last
          ? `last error: ${last.error instanceof Error ? last.error.message : String(last.error)}`
          : `last result: ${inspect(last.value, { depth: 2, breakLength: Number.POSITIVE_INFINITY })}`;
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what} (${seen})`, {
        cause: 'error' in last ? last.error : undefined,
      });
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
