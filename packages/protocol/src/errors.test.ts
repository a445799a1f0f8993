import { describe, expect, it } from 'vitest';
import { ErrorCode, isStudiosError, StudiosError } from './errors';

describe('StudiosError', () => {
  it('carries a code, a message, details and a cause, and nothing about transports', () => {
    const cause = new Error('SQLITE_BUSY');
    const error = new StudiosError(ErrorCode.RateLimited, 'Try again later', {
      details: { retryAfterSeconds: 30 },
      cause,
    });
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ name: 'StudiosError', code: 'rate_limited', message: 'Try again later' });
    expect(error.details).toEqual({ retryAfterSeconds: 30 });
    expect(error.cause).toBe(cause);
    expect(Object.keys(error)).not.toContain('status');
  });

  it('is recognised with or without a code, subclasses included', () => {
    class WorkspaceLikeError extends StudiosError {}
    const error = new WorkspaceLikeError(ErrorCode.NotFound, 'gone');
    expect(isStudiosError(error)).toBe(true);
    expect(isStudiosError(error, ErrorCode.NotFound)).toBe(true);
    expect(isStudiosError(error, ErrorCode.Conflict)).toBe(false);
    expect(isStudiosError(new Error('plain'))).toBe(false);
    expect(new StudiosError(ErrorCode.Internal, 'x').details).toBeUndefined();
  });
});
