import type { Disposable } from '@studios/base';
import type { ExecuteReply } from '../wire/message-content';
import type { ExecuteEvent } from '../wire/nbformat-output';

/** How one execution ended; `aborted` too when the kernel died, restarted or was shut down. */
export interface ExecuteResult {
  status: 'ok' | 'error' | 'aborted';
  executionCount: number | null;
}

export interface ExecuteOptions {
  /** Whether `input()` may ask (answered with `KernelConnection.inputReply`). */
  allowStdin?: boolean;
  /**
   * Whether an error aborts the requests queued behind it in the kernel (Jupyter's default,
   * true: "Run all" sends every cell at once). A caller that sends one run at a time and stops
   * its own queue should pass false: ipykernel also aborts requests arriving just after an
   * error (its abort window), which would fail a quick re-run with `aborted`.
   */
  stopOnError?: boolean;
  /** Every output and prompt of this execution, as nbformat v4 outputs. */
  onEvent?(event: ExecuteEvent): void;
}

/** One execution under way: its reply, and whether iopub said its outputs are over. */
export interface Execution {
  options: ExecuteOptions;
  reply?: ExecuteReply;
  idle: boolean;
  grace?: Disposable;
  finish(result: ExecuteResult): void;
}

/** Gives an event to the execution's listener; a listener that throws does not stop the run. */
export function deliver(execution: Execution, event: ExecuteEvent): void {
  try {
    execution.options.onEvent?.(event);
  } catch {
    // A listener's failure is the listener's; the execution goes on.
  }
}
