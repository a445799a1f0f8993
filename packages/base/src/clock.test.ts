import { describe, expect, it } from 'vitest';
import { systemClock } from './clock';

describe('systemClock', () => {
  it('reads the wall clock', () => {
    const before = Date.now();
    const now = systemClock.now();
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(Date.now());
  });

  it('fires a timeout once, after its delay', async () => {
    const started = Date.now();
    const firedAt = await new Promise<number>((resolve) =>
      systemClock.setTimeout(() => resolve(Date.now()), 20),
    );
    // Timers may fire a millisecond early on some hosts; never much earlier.
    expect(firedAt - started).toBeGreaterThanOrEqual(19);
  });

  it('cancels a timeout and an interval through dispose', async () => {
    let fired = 0;
    systemClock.setTimeout(() => fired++, 5).dispose();
    const interval = systemClock.setInterval(() => fired++, 5);
    interval.dispose();
    await new Promise<void>((resolve) => systemClock.setTimeout(resolve, 30));
    expect(fired).toBe(0);
  });

  it('repeats an interval until disposed', async () => {
    let ticks = 0;
    await new Promise<void>((resolve) => {
      const interval = systemClock.setInterval(() => {
        ticks++;
        if (ticks === 3) {
          interval.dispose();
          resolve();
        }
      }, 2);
    });
    await new Promise<void>((resolve) => systemClock.setTimeout(resolve, 20));
    expect(ticks).toBe(3);
  });
});
