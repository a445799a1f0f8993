import type { Clock as CollabClock, TimerHandle } from '@studios/collab';
import type { Clock, Disposable } from '../../clock';

/** The server's clock in the shape the collab package takes (intervals built from timeouts). */
export function toCollabClock(clock: Clock): CollabClock {
  const clear = (handle: TimerHandle) => (handle as Disposable).dispose();
  return {
    now: () => clock.now(),
    setTimeout: (callback, ms) => clock.setTimeout(callback, ms),
    clearTimeout: clear,
    setInterval(callback, ms) {
      let current: Disposable | undefined;
      let cleared = false;
      const schedule = () => {
        current = clock.setTimeout(() => {
          if (cleared) return;
          schedule();
          callback();
        }, ms);
      };
      schedule();
      return {
        dispose: () => {
          cleared = true;
          current?.dispose();
        },
      };
    },
    clearInterval: clear,
  };
}
