import type { Clock as RuntimeClock, TimerHandle } from '@studios/runtime';
import type { Clock, Disposable } from '../../clock';

/** The server's clock in the shape the runtime package takes (timers as handles). */
export function toRuntimeClock(clock: Clock): RuntimeClock {
  return {
    now: () => clock.now(),
    setTimeout: (callback, ms) => clock.setTimeout(callback, ms),
    clearTimeout: (handle: TimerHandle) => (handle as Disposable).dispose(),
  };
}
