import type { ErrorCode, ValidationIssue } from '@studios/protocol';

/** HTTP statuses the API uses for errors. */
export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 422 | 429 | 500 | 502 | 503;

/**
 * The one error type of the HTTP API. Anything may throw it; `app.onError` turns it into
 * `{ code, message, issues? }` with `status`. Any other thrown value becomes a 500 `internal`.
 */
export class ApiError extends Error {
  override name = 'ApiError';

  constructor(
    readonly status: ErrorStatus,
    readonly code: ErrorCode,
    message: string,
    readonly issues?: ValidationIssue[],
    /** Extra response headers, e.g. Retry-After. */
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }
}

/** Shorthands for the errors every route needs. */
export const errors = {
  unauthorized: () => new ApiError(401, 'unauthorized', 'Sign in to continue'),
  forbidden: (message = 'Your role in this Studio does not allow that') =>
    new ApiError(403, 'forbidden', message),
  notFound: (message = 'Not found') => new ApiError(404, 'not_found', message),
  studioNotFound: () => new ApiError(404, 'not_found', 'Studio not found'),
  conflict: (message: string) => new ApiError(409, 'conflict', message),
};
