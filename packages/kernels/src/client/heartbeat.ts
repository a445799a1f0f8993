import type { Clock, Disposable } from '@studios/base';

/**
 * Pings every `intervalMs` (the kernel echoes on its heartbeat socket, from its own thread, so a
 * busy kernel still answers) and calls `onDead` once `misses` pings in a row went unanswered.
 * https://jupyter-client.readthedocs.io/en/stable/messaging.html#heartbeat-for-kernels
 */
export function watchHeartbeat(options: {
  clock: Clock;
  ping(): Promise<boolean>;
  intervalMs: number;
  misses: number;
  onDead(): void;
}): Disposable {
  let timer: Disposable | undefined;
  let stopped = false;
  let misses = 0;
  const schedule = () => {
    timer = options.clock.setTimeout(async () => {
      const alive = await options.ping();
      if (stopped) return;
      misses = alive ? 0 : misses + 1;
      if (misses >= options.misses) {
        stopped = true;
        options.onDead();
        return;
      }
      schedule();
    }, options.intervalMs);
  };
  schedule();
  return {
    dispose: () => {
      stopped = true;
      timer?.dispose();
    },
  };
}
