/** Options for {@link waitFor}. */
export interface WaitForOptions {
  timeoutMs: number;
  /** Pause between polls; small because callers measure time around some waits. */
  intervalMs?: number;
  /** Named in the timeout error so a stuck run says what it was waiting for. */
  what?: string;
}

/**
 * Polls `condition` until it returns a value other than `undefined`/`false`, or throws after the
 * deadline. The benchmarks never sleep and hope: every wait is for an observable condition.
 */
export async function waitFor<T>(
  condition: () => T | undefined | false | Promise<T | undefined | false>,
  options: WaitForOptions,
): Promise<T> {
  const deadline = performance.now() + options.timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const result = await condition();
      if (result !== undefined && result !== false) return result;
    } catch (error) {
      lastError = error;
    }
    if (performance.now() > deadline) {
      const suffix = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(
        `Timed out after ${options.timeoutMs} ms waiting for ${options.what ?? 'a condition'}${suffix}`,
      );
    }
    await delay(options.intervalMs ?? 5);
  }
}

/** A promise that resolves after `ms`; for pacing (typing speed), never for synchronisation. */
export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
