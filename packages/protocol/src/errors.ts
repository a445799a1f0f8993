import { z } from 'zod';

/**
 * Every failure Studios names. The API returns `{ code, message }` (plus `issues` for validation
 * errors); sockets close with the matching close code. Codes are stable identifiers clients
 * branch on; messages are for people. Adding a code means mapping it at every edge: the HTTP
 * status table (`apps/server/src/http/error-status.ts`) and the close-code table
 * (`apps/server/src/ws/error-close-codes.ts`) are `Record<ErrorCode, …>`, so typecheck says where.
 */
export const ErrorCode = {
  InvalidRequest: 'invalid_request',
  Unauthorized: 'unauthorized',
  InvalidCredentials: 'invalid_credentials',
  Forbidden: 'forbidden',
  /** The local runtime runs processes on the server's own machine: only its administrator may. */
  LocalRuntimeAdminOnly: 'local_runtime_admin_only',
  BadOrigin: 'bad_origin',
  /** The request's Host is not a name this server answers to (DNS-rebinding defence). */
  BadHost: 'bad_host',
  NotFound: 'not_found',
  Conflict: 'conflict',
  EmailTaken: 'email_taken',
  PayloadTooLarge: 'payload_too_large',
  RateLimited: 'rate_limited',
  UnknownMachineType: 'unknown_machine_type',
  GpuUnavailable: 'gpu_unavailable',
  StudioNotRunning: 'studio_not_running',
  RuntimeError: 'runtime_error',
  PathOutsideWorkspace: 'path_outside_workspace',
  NotAFile: 'not_a_file',
  FileTooLarge: 'file_too_large',
  BinaryFile: 'binary_file',
  AlreadyExists: 'already_exists',
  /** The Studio offers no kernel (ipykernel missing) or the named kernelspec does not exist. */
  KernelUnavailable: 'kernel_unavailable',
  /** The notebook has no running kernel to interrupt, or the run or prompt is no longer current. */
  KernelNotRunning: 'kernel_not_running',
  /** Not an OpenSSH public key of an accepted type and size (ed25519, ECDSA, RSA ≥ 3072 bits). */
  SshKeyInvalid: 'ssh_key_invalid',
  /** The key is already registered, to this account or another (a key names one person). */
  SshKeyTaken: 'ssh_key_taken',
  Internal: 'internal',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export const ValidationIssue = z.object({
  path: z.array(z.union([z.string(), z.number()])),
  message: z.string(),
});
export type ValidationIssue = z.infer<typeof ValidationIssue>;

export const ErrorBody = z.object({
  code: z.string(),
  message: z.string(),
  issues: z.array(ValidationIssue).optional(),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

/** Facts an edge may turn into more than a message (an HTTP body's `issues`, a Retry-After). */
export interface StudiosErrorDetails {
  /** What was wrong with the input, per field (`invalid_request`). */
  issues?: ValidationIssue[];
  /** When trying again may succeed (`rate_limited`). */
  retryAfterSeconds?: number;
}

/** Optional parts of a {@link StudiosError}. */
export interface StudiosErrorOptions {
  details?: StudiosErrorDetails;
  /** The underlying failure, for logs; never shown to the caller. */
  cause?: unknown;
}

/**
 * The one error services and packages throw: a protocol {@link ErrorCode}, a message already
 * phrased for the person who caused it, and optional details. It knows nothing of transports:
 * the HTTP app maps `code` to a status and the socket router to a close code, each with one
 * table at the edge (Hono's single `HTTPException`, without the HTTP).
 */
export class StudiosError extends Error {
  override name = 'StudiosError';
  readonly code: ErrorCode;
  readonly details: StudiosErrorDetails | undefined;

  constructor(code: ErrorCode, message: string, options: StudiosErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.details = options.details;
  }
}

/** True when `error` is a {@link StudiosError}, with `code` when one is given. */
export function isStudiosError(error: unknown, code?: ErrorCode): error is StudiosError {
  return error instanceof StudiosError && (code === undefined || error.code === code);
}
