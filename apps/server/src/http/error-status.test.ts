import { ErrorCode } from '@studios/protocol';
import { describe, expect, it } from 'vitest';
import { HTTP_STATUS } from './error-status';

describe('the HTTP status of every error code', () => {
  it('is a client error for every code but the server-side failures', () => {
    const serverSide = Object.values(ErrorCode).filter((code) => HTTP_STATUS[code] >= 500);
    expect(serverSide.sort()).toEqual([ErrorCode.Internal, ErrorCode.RuntimeError].sort());
  });

  it('keeps the statuses the workspace and runtime errors had before they lost their own tables', () => {
    expect(HTTP_STATUS[ErrorCode.PathOutsideWorkspace]).toBe(403);
    expect(HTTP_STATUS[ErrorCode.NotAFile]).toBe(409);
    expect(HTTP_STATUS[ErrorCode.FileTooLarge]).toBe(413);
    expect(HTTP_STATUS[ErrorCode.GpuUnavailable]).toBe(409);
    expect(HTTP_STATUS[ErrorCode.UnknownMachineType]).toBe(400);
  });
});
