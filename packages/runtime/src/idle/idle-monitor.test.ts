import { FakeClock } from '@studios/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { IdleMonitor } from './idle-monitor';

const MINUTE = 60_000;

function setup(options: { idleMs?: number } = {}) {
  const clock = new FakeClock();
  const calls: string[] = [];
  const monitor = new IdleMonitor({
    idleMs: options.idleMs ?? 30 * MINUTE,
    clock,
    onWarn: (id, stopAt) => calls.push(`warn ${id} +${(stopAt.getTime() - clock.now()) / 1000}s`),
    onWarningCancelled: (id) => calls.push(`cancel ${id}`),
    onStop: (id) => calls.push(`stop ${id}`),
  });
  return { clock, calls, monitor };
}

describe('IdleMonitor', () => {
  let dispose: (() => void) | undefined;
  afterEach(() => dispose?.());

  it('warns 60 s before and stops after 30 minutes without activity', () => {
    const { clock, calls, monitor } = setup();
    dispose = () => monitor.dispose();
    monitor.watch('a');
    expect(monitor.stopAt('a')?.getTime()).toBe(clock.now() + 30 * MINUTE);
    clock.advance(29 * MINUTE - 1);
    expect(calls).toEqual([]);
    clock.advance(1);
    expect(calls).toEqual(['warn a +60s']);
    clock.advance(MINUTE - 1);
    expect(calls).toEqual(['warn a +60s']);
    clock.advance(1);
    expect(calls).toEqual(['warn a +60s', 'stop a']);
    expect(monitor.stopAt('a')).toBeUndefined();
    expect(clock.pendingTimers).toBe(0);
  });

  it('restarts the countdown on every touch, and a touch after the warning cancels it', () => {
    const { clock, calls, monitor } = setup();
    dispose = () => monitor.dispose();
    monitor.watch('a');
    clock.advance(20 * MINUTE);
    monitor.touch('a', 'terminal');
    clock.advance(20 * MINUTE);
    expect(calls).toEqual([]);
    clock.advance(9 * MINUTE);
    expect(calls).toEqual(['warn a +60s']);
    monitor.touch('a', 'terminal');
    expect(calls).toEqual(['warn a +60s', 'cancel a']);
    clock.advance(2 * MINUTE);
    expect(calls).toEqual(['warn a +60s', 'cancel a']);
    clock.advance(28 * MINUTE);
    expect(calls).toEqual(['warn a +60s', 'cancel a', 'warn a +60s', 'stop a']);
  });

  it('never stops while a source is busy, and counts down from when the last one ends', () => {
    const { clock, calls, monitor } = setup();
    dispose = () => monitor.dispose();
    monitor.setBusy('a', 'client:1', true);
    monitor.watch('a');
    monitor.setBusy('a', 'kernel', true);
    clock.advance(5 * 60 * MINUTE);
    expect(calls).toEqual([]);
    expect(monitor.stopAt('a')).toBeUndefined();
    monitor.setBusy('a', 'client:1', false);
    clock.advance(60 * MINUTE);
    expect(calls).toEqual([]);
    monitor.setBusy('a', 'kernel', false);
    expect(monitor.stopAt('a')?.getTime()).toBe(clock.now() + 30 * MINUTE);
    clock.advance(30 * MINUTE);
    expect(calls).toEqual(['warn a +60s', 'stop a']);
  });

  it('keeps Studios apart and forgets a Studio that is unwatched', () => {
    const { clock, calls, monitor } = setup({ idleMs: 10 * MINUTE });
    dispose = () => monitor.dispose();
    monitor.watch('a');
    clock.advance(5 * MINUTE);
    monitor.watch('b');
    monitor.unwatch('a');
    monitor.touch('a', 'terminal');
    clock.advance(20 * MINUTE);
    expect(calls).toEqual(['warn b +60s', 'stop b']);
    expect(clock.pendingTimers).toBe(0);
  });

  it('disposes every timer', () => {
    const { clock, calls, monitor } = setup();
    monitor.watch('a');
    monitor.watch('b');
    monitor.dispose();
    expect(clock.pendingTimers).toBe(0);
    clock.advance(60 * MINUTE);
    expect(calls).toEqual([]);
  });
});
