import { ErrorCode, StudiosError } from '@studios/protocol';

/**
 * The failures every route and service needs, worded once. They are plain `StudiosError`s:
 * `http/error-status.ts` and `ws/error-close-codes.ts` decide how each looks on the wire.
 */
export const errors = {
  unauthorized: () => new StudiosError(ErrorCode.Unauthorized, 'Sign in to continue'),
  forbidden: (message = 'Your role in this Studio does not allow that') =>
    new StudiosError(ErrorCode.Forbidden, message),
  notFound: (message = 'Not found') => new StudiosError(ErrorCode.NotFound, message),
  studioNotFound: () => new StudiosError(ErrorCode.NotFound, 'Studio not found'),
  conflict: (message: string) => new StudiosError(ErrorCode.Conflict, message),
};
