import { ErrorCode, StudiosError } from '@studios/protocol';

/** The agent broke the protocol, went away or stalled mid-request: the operation did not complete. */
export function agentGone(reason: string): StudiosError {
  return new StudiosError(
    ErrorCode.RuntimeError,
    `The Studio's agent went away (${reason.slice(0, 200)}); try again.`,
  );
}
