import { type ErrorCode, StudiosError } from '@studios/protocol';

/** The subset of protocol error codes a runtime driver raises. */
export type RuntimeErrorCode =
  | typeof ErrorCode.RuntimeError
  | typeof ErrorCode.GpuUnavailable
  | typeof ErrorCode.UnknownMachineType
  | typeof ErrorCode.StudioNotRunning
  | typeof ErrorCode.NotFound
  | typeof ErrorCode.Conflict;

/**
 * A runtime failure, already phrased for the person who caused it: a {@link StudiosError} whose
 * code is one of {@link RuntimeErrorCode}. The edges map `code` (to an HTTP status, a close
 * code); `cause` keeps the engine's own words for logs.
 */
export class RuntimeError extends StudiosError {
  override name = 'RuntimeError';
  declare readonly code: RuntimeErrorCode;

  constructor(code: RuntimeErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(code, message, options);
  }
}

/** True when `error` is a RuntimeError with the given code. */
export function isRuntimeError(error: unknown, code?: RuntimeErrorCode): error is RuntimeError {
  return error instanceof RuntimeError && (code === undefined || error.code === code);
}
