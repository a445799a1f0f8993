import { constants } from 'node:os';

/** Shells report a process killed by signal N as exit status 128 + N; so do we. */
export const SIGNAL_EXIT_BASE = 128;

/** Exit status for a process that ended on `signal` (e.g. SIGKILL → 137). */
export function exitCodeForSignal(signal: NodeJS.Signals): number {
  return SIGNAL_EXIT_BASE + (constants.signals[signal] ?? 0);
}

/**
 * Ends a process group politely, then firmly: `signal` to every process in group `pgid` now,
 * SIGKILL to whatever is left after `graceMs` unless `exited` settled first.
 */
export function killProcessGroup(
  pgid: number,
  signal: NodeJS.Signals,
  exited: Promise<unknown>,
  graceMs: number,
): void {
  signalGroup(pgid, signal);
  const timer = setTimeout(() => signalGroup(pgid, 'SIGKILL'), graceMs);
  // The timer must not keep a server that is shutting down alive.
  timer.unref();
  void exited.then(() => clearTimeout(timer));
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  for (const target of [-pgid, pgid]) {
    try {
      process.kill(target, signal);
    } catch {
      // ESRCH: that process (group) is already gone, which is the goal.
    }
  }
}
