import { ErrorBody, ErrorCode } from '@studios/protocol';

/** Status used for failures that never reached the server (offline, DNS, server down). */
export const NETWORK_ERROR_STATUS = 0;

/**
 * Every failed API call surfaces as one of these, so the UI can branch on `code` and show
 * `message` (already written for people) without knowing about fetch or HTTP.
 */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  /** Seconds from a `Retry-After` header, when the server sent one (rate limits). */
  readonly retryAfterSeconds: number | undefined;

  constructor(status: number, code: string, message: string, retryAfterSeconds?: number) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

const FALLBACK_BY_STATUS: Record<number, string> = {
  400: 'The request was not accepted — check the fields and try again.',
  401: 'Your session has ended — log in again.',
  403: 'You do not have permission to do that — ask the Studio owner for access.',
  404: 'That no longer exists — it may have been deleted or you may have lost access.',
  409: 'That conflicts with the current state — refresh and try again.',
  413: 'That is too large to upload (the limit is 100 MB).',
  429: 'Too many attempts — wait a minute and try again.',
  500: 'The server hit an unexpected error — try again in a moment.',
  502: 'The server is not reachable right now — try again in a moment.',
  503: 'The server is restarting — try again in a moment.',
};

/** Parses `Retry-After` (seconds or an HTTP date) into seconds, if present and sensible. */
export function parseRetryAfter(header: string | null, now: number = Date.now()): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.round((at - now) / 1000));
}

/** Builds an ApiError from a non-2xx response's status and (possibly non-JSON) body. */
export function apiErrorFromResponse(status: number, body: unknown, retryAfterSeconds?: number): ApiError {
  const parsed = ErrorBody.safeParse(body);
  if (parsed.success) {
    return new ApiError(status, parsed.data.code, parsed.data.message, retryAfterSeconds);
  }
  const message = FALLBACK_BY_STATUS[status] ?? `The server answered with an unexpected error (${status}).`;
  return new ApiError(status, status >= 500 ? ErrorCode.Internal : 'http_error', message, retryAfterSeconds);
}

/** The error for a request that never got an answer. */
export function networkError(): ApiError {
  return new ApiError(
    NETWORK_ERROR_STATUS,
    'network',
    'Cannot reach the Studios server — check your connection and try again.',
  );
}

/** "N minutes" rounded up, never below one. */
export function minutesText(seconds: number): string {
  const minutes = Math.max(1, Math.ceil(seconds / 60));
  return minutes === 1 ? '1 minute' : `${minutes} minutes`;
}

/**
 * The sentence to show for a failure: specific wording for codes people meet often,
 * the server's own message otherwise.
 */
export function describeError(error: unknown): string {
  if (!(error instanceof ApiError)) {
    return error instanceof Error ? error.message : 'Something went wrong — try again.';
  }
  switch (error.code) {
    case ErrorCode.InvalidCredentials:
      return 'Email or password is incorrect';
    case ErrorCode.EmailTaken:
      return 'An account with this email already exists';
    case ErrorCode.RateLimited:
      return `Too many attempts, try again in ${minutesText(error.retryAfterSeconds ?? 60)}`;
    case ErrorCode.StudioNotRunning:
      return 'The Studio is stopped — Start it and try again.';
    case ErrorCode.GpuUnavailable:
      return 'No GPU is available on this server — choose a machine type without a GPU.';
    case ErrorCode.PayloadTooLarge:
    case ErrorCode.FileTooLarge:
      return error.message || FALLBACK_BY_STATUS[413] || '';
    default:
      if (error.status === 429) {
        return `Too many attempts, try again in ${minutesText(error.retryAfterSeconds ?? 60)}`;
      }
      return error.message || FALLBACK_BY_STATUS[error.status] || 'Something went wrong — try again.';
  }
}
