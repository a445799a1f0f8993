/** A promise that resolves after `ms`; for pacing (typing speed), never for synchronisation. */
export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
