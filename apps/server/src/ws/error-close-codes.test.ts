import { CloseCode, ErrorCode, StudiosError } from '@studios/protocol';
import { describe, expect, it } from 'vitest';
import { HTTP_STATUS } from '../http/error-status';
import { CLOSE_CODE, closeFor } from './error-close-codes';

describe('the close code of every error code', () => {
  it('mirrors the HTTP status (4xxx = 4000 + status), except where sockets need otherwise', () => {
    // Reconnect later rather than give up; a too-big frame has its RFC code; an oversized
    // document has the live-document code.
    const ownCode = new Set<string>([
      ErrorCode.StudioNotRunning,
      ErrorCode.PayloadTooLarge,
      ErrorCode.FileTooLarge,
    ]);
    for (const code of Object.values(ErrorCode)) {
      if (ownCode.has(code)) continue;
      expect([code, CLOSE_CODE[code]]).toEqual([code, 4000 + HTTP_STATUS[code]]);
    }
  });

  it('closes with the error message as reason, cut to what a close frame holds', () => {
    const long = new StudiosError(ErrorCode.Forbidden, `Your role does not allow that ${'é'.repeat(100)}`);
    const { code, reason } = closeFor(long);
    expect(code).toBe(CloseCode.Forbidden);
    expect(Buffer.byteLength(reason)).toBeLessThanOrEqual(123);
    expect(long.message.startsWith(reason)).toBe(true);
  });

  it('keeps internal details out of the reason', () => {
    const error = new StudiosError(ErrorCode.RuntimeError, 'dockerd said: permission denied on /var/run');
    expect(closeFor(error)).toEqual({ code: CloseCode.InternalError, reason: 'Internal error' });
  });
});
