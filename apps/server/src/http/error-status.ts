import type { ErrorCode } from '@studios/protocol';

/** HTTP statuses the API answers errors with. */
export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 429 | 500;

/**
 * The HTTP status of every error code: the one place that knows how a failure looks over HTTP
 * (services and packages throw a transport-neutral `StudiosError`). Typed over every
 * `ErrorCode`, so a new code does not compile until it has a status here and a close code in
 * `ws/error-close-codes.ts`.
 */
export const HTTP_STATUS: Readonly<Record<ErrorCode, ErrorStatus>> = {
  invalid_request: 400,
  unknown_machine_type: 400,
  ssh_key_invalid: 400,
  unauthorized: 401,
  invalid_credentials: 401,
  forbidden: 403,
  local_runtime_admin_only: 403,
  bad_origin: 403,
  // 403 as for a foreign Origin (Vite answers an unknown Host the same way); 421 would need a
  // close code of its own for no gain, since sockets are refused before the handshake.
  bad_host: 403,
  // Refused rather than missing: the path names something the caller may never reach.
  path_outside_workspace: 403,
  not_found: 404,
  conflict: 409,
  email_taken: 409,
  already_exists: 409,
  not_a_file: 409,
  gpu_unavailable: 409,
  studio_not_running: 409,
  kernel_unavailable: 409,
  kernel_not_running: 409,
  ssh_key_taken: 409,
  payload_too_large: 413,
  file_too_large: 413,
  binary_file: 415,
  rate_limited: 429,
  // The engine's words stay in the log; the caller gets the generic 500 (see app.ts).
  runtime_error: 500,
  internal: 500,
};
