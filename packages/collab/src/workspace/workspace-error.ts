import { ErrorCode } from '@studios/protocol';

/** Codes a workspace operation can fail with; the server maps each to an HTTP status. */
export type WorkspaceErrorCode =
  | typeof ErrorCode.PathOutsideWorkspace
  | typeof ErrorCode.NotFound
  | typeof ErrorCode.AlreadyExists
  | typeof ErrorCode.NotAFile
  | typeof ErrorCode.FileTooLarge
  | typeof ErrorCode.InvalidRequest;

/** A typed failure of a {@link Workspace} operation, never a raw errno leaking a host path. */
export class WorkspaceError extends Error {
  override readonly name = 'WorkspaceError';
  constructor(
    readonly code: WorkspaceErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** HTTP status for each workspace error code (403 for traversal: the request is refused, not missing). */
export const WORKSPACE_ERROR_STATUS: Record<WorkspaceErrorCode, 400 | 403 | 404 | 409 | 413> = {
  [ErrorCode.PathOutsideWorkspace]: 403,
  [ErrorCode.NotFound]: 404,
  [ErrorCode.AlreadyExists]: 409,
  [ErrorCode.NotAFile]: 409,
  [ErrorCode.FileTooLarge]: 413,
  [ErrorCode.InvalidRequest]: 400,
};

/** Turns an errno from the file system into a WorkspaceError (or rethrows what it cannot name). */
export function toWorkspaceError(error: unknown, relPath: string): WorkspaceError {
  if (error instanceof WorkspaceError) return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return new WorkspaceError(ErrorCode.NotFound, `${relPath} does not exist`);
    case 'EEXIST':
    case 'ENOTEMPTY':
      return new WorkspaceError(ErrorCode.AlreadyExists, `${relPath} already exists`);
    case 'EISDIR':
      return new WorkspaceError(ErrorCode.NotAFile, `${relPath} is a directory`);
    case 'ELOOP':
      return new WorkspaceError(ErrorCode.PathOutsideWorkspace, `${relPath} is a symbolic link`);
    case 'EINVAL':
      return new WorkspaceError(ErrorCode.InvalidRequest, `${relPath}: invalid operation`);
    default:
      throw error;
  }
}
