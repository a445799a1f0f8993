import { ErrorCode } from '@studios/protocol';

/** The subset of protocol error codes a runtime driver raises. */
export type RuntimeErrorCode =
  | typeof ErrorCode.RuntimeError
  | typeof ErrorCode.GpuUnavailable
  | typeof ErrorCode.UnknownMachineType
  | typeof ErrorCode.StudioNotRunning
  | typeof ErrorCode.NotFound
  | typeof ErrorCode.Conflict;

/**
 * A runtime failure, already phrased for the person who caused it. The server maps `code`
 * to the HTTP error body (`gpu_unavailable` → 409, `unknown_machine_type` → 400, …) and shows
 * `message` as is; `cause` keeps the engine's own words for logs.
 */
export class RuntimeError extends Error {
  override readonly name = 'RuntimeError';
  readonly code: RuntimeErrorCode;

  constructor(code: RuntimeErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** True when `error` is a RuntimeError with the given code. */
export function isRuntimeError(error: unknown, code?: RuntimeErrorCode): error is RuntimeError {
  return error instanceof RuntimeError && (code === undefined || error.code === code);
}

export { ErrorCode as RuntimeErrorCodes };
