import { describe, expect, it } from 'vitest';
import { FakeClock } from './fake-clock';

describe('FakeClock', () => {
  it('starts at 2026-01-01 unless told otherwise and moves only on advance', () => {
    expect(new FakeClock().now()).toBe(Date.parse('2026-01-01T00:00:00Z'));
    const clock = new FakeClock(1_000);
    clock.advance(250);
    expect(clock.now()).toBe(1_250);
  });

  it('fires timers in due order, ties in the order they were set, at their own time', () => {
    const clock = new FakeClock(0);
    const fired: Array<[string, number]> = [];
    clock.setTimeout(() => fired.push(['b', clock.now()]), 20);
    clock.setTimeout(() => fired.push(['a', clock.now()]), 10);
    clock.setTimeout(() => fired.push(['c', clock.now()]), 20);
    clock.setTimeout(() => fired.push(['late', clock.now()]), 100);
    clock.advance(50);
    expect(fired).toEqual([
      ['a', 10],
      ['b', 20],
      ['c', 20],
    ]);
    expect(clock.pendingTimers).toBe(1);
  });

  it('fires a timer set by a firing timer within the same advance', () => {
    const clock = new FakeClock(0);
    const fired: number[] = [];
    clock.setTimeout(() => clock.setTimeout(() => fired.push(clock.now()), 5), 5);
    clock.advance(10);
    expect(fired).toEqual([10]);
  });

  it('cancels through dispose', () => {
    const clock = new FakeClock(0);
    let fired = 0;
    const timer = clock.setTimeout(() => fired++, 5);
    timer.dispose();
    timer.dispose();
    clock.setTimeout(() => fired++, 5).dispose();
    clock.advance(10);
    expect(fired).toBe(0);
    expect(clock.pendingTimers).toBe(0);
  });

  it('repeats intervals until disposed', () => {
    const clock = new FakeClock(0);
    const ticks: number[] = [];
    const interval = clock.setInterval(() => ticks.push(clock.now()), 10);
    clock.advance(35);
    interval.dispose();
    clock.advance(100);
    expect(ticks).toEqual([10, 20, 30]);
    expect(clock.pendingTimers).toBe(0);
  });
});
