import { CloseCode, type ErrorCode, type StudiosError } from '@studios/protocol';

/**
 * The close code a socket ends with when its handler fails with an error code: the one place
 * that knows how a failure looks on a WebSocket (4xxx mirror the HTTP statuses in
 * `http/error-status.ts`). Typed over every `ErrorCode`, so a new code does not compile until
 * it is mapped here and there.
 */
export const CLOSE_CODE: Readonly<Record<ErrorCode, CloseCode>> = {
  invalid_request: CloseCode.BadMessage,
  unknown_machine_type: CloseCode.BadMessage,
  ssh_key_invalid: CloseCode.BadMessage,
  unauthorized: CloseCode.Unauthorized,
  invalid_credentials: CloseCode.Unauthorized,
  forbidden: CloseCode.Forbidden,
  local_runtime_admin_only: CloseCode.Forbidden,
  bad_origin: CloseCode.Forbidden,
  bad_host: CloseCode.Forbidden,
  path_outside_workspace: CloseCode.Forbidden,
  not_found: CloseCode.NotFound,
  conflict: CloseCode.Conflict,
  email_taken: CloseCode.Conflict,
  already_exists: CloseCode.Conflict,
  not_a_file: CloseCode.Conflict,
  gpu_unavailable: CloseCode.Conflict,
  kernel_unavailable: CloseCode.Conflict,
  kernel_not_running: CloseCode.Conflict,
  ssh_key_taken: CloseCode.Conflict,
  // The Studio may be started again: clients reconnect with backoff.
  studio_not_running: CloseCode.ServerRestarting,
  payload_too_large: CloseCode.MessageTooBig,
  file_too_large: CloseCode.UnsupportedDocument,
  binary_file: CloseCode.UnsupportedDocument,
  rate_limited: CloseCode.TooManyMessages,
  runtime_error: CloseCode.InternalError,
  internal: CloseCode.InternalError,
};

/** A close frame's reason is at most 123 bytes (RFC 6455); longer messages are cut. */
const MAX_REASON_BYTES = 123;

/** How a socket closes for `error`: its code's close code, its message as the reason. */
export function closeFor(error: StudiosError): { code: CloseCode; reason: string } {
  const code = CLOSE_CODE[error.code];
  // Internal failures keep their details in the log, as over HTTP.
  if (code === CloseCode.InternalError) return { code, reason: 'Internal error' };
  let reason = error.message;
  while (Buffer.byteLength(reason) > MAX_REASON_BYTES) reason = reason.slice(0, -1);
  return { code, reason };
}
