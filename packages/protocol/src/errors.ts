import { z } from 'zod';

/**
 * Every error the API returns is `{ code, message }` (plus `issues` for validation errors).
 * Codes are stable identifiers clients branch on; messages are for people.
 */
export const ErrorCode = {
  InvalidRequest: 'invalid_request',
  Unauthorized: 'unauthorized',
  InvalidCredentials: 'invalid_credentials',
  Forbidden: 'forbidden',
  BadOrigin: 'bad_origin',
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
