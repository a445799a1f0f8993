import { describe, expect, it } from 'vitest';
import {
  ApiError,
  apiErrorFromResponse,
  describeError,
  minutesText,
  networkError,
  parseRetryAfter,
} from './api-error';

describe('apiErrorFromResponse', () => {
  it('keeps the server code and message', () => {
    const error = apiErrorFromResponse(409, { code: 'studio_not_running', message: 'Start it first' });
    expect(error).toBeInstanceOf(ApiError);
    expect([error.status, error.code, error.message]).toEqual([409, 'studio_not_running', 'Start it first']);
  });

  it('explains bodies that are not API errors by status', () => {
    expect(apiErrorFromResponse(502, '<html>Bad gateway</html>').message).toBe(
      'The server is not reachable right now — try again in a moment.',
    );
    expect(apiErrorFromResponse(418, undefined).message).toBe(
      'The server answered with an unexpected error (418).',
    );
  });
});

describe('describeError', () => {
  it('uses the product wording for auth failures', () => {
    expect(describeError(new ApiError(401, 'invalid_credentials', 'x'))).toBe(
      'Email or password is incorrect',
    );
    expect(describeError(new ApiError(409, 'email_taken', 'x'))).toBe(
      'An account with this email already exists',
    );
  });

  it('turns Retry-After into minutes for rate limits', () => {
    expect(describeError(new ApiError(429, 'rate_limited', 'x', 600))).toBe(
      'Too many attempts, try again in 10 minutes',
    );
    expect(describeError(new ApiError(429, 'rate_limited', 'x', 30))).toBe(
      'Too many attempts, try again in 1 minute',
    );
    expect(describeError(new ApiError(429, 'something_else', 'x', 130))).toBe(
      'Too many attempts, try again in 3 minutes',
    );
  });

  it('says what to do for a stopped Studio and network failures', () => {
    expect(describeError(new ApiError(409, 'studio_not_running', 'x'))).toBe(
      'The Studio is stopped — Start it and try again.',
    );
    expect(describeError(networkError())).toBe(
      'Cannot reach the Studios server — check your connection and try again.',
    );
    expect(describeError(new Error('boom'))).toBe('boom');
    expect(describeError('weird')).toBe('Something went wrong — try again.');
  });
});

describe('parseRetryAfter / minutesText', () => {
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('120')).toBe(120);
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:02:00 GMT', Date.parse('2026-01-01T00:00:00Z'))).toBe(120);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(minutesText(61)).toBe('2 minutes');
  });
});
