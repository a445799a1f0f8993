import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let gc: (() => void) | undefined;

/**
 * Runs a full GC in the bench process. Called between rounds so that the garbage of one
 * contender's round (hundreds of disposed docs and sockets) is not collected during the next
 * contender's round, which would bias every pair against whoever runs second.
 */
export function collectBenchGarbage(): void {
  if (!gc) {
    // Exposes `gc` without requiring `--expose-gc` on the command line (`npm run bench` is plain tsx).
    setFlagsFromString('--expose-gc');
    gc = runInNewContext('gc') as () => void;
  }
  gc();
}
