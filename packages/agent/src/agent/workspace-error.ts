import { ErrorCode, StudiosError } from '@studios/protocol';

/** Codes a workspace operation can fail with. */
export type WorkspaceErrorCode =
  | typeof ErrorCode.PathOutsideWorkspace
  | typeof ErrorCode.NotFound
  | typeof ErrorCode.AlreadyExists
  | typeof ErrorCode.NotAFile
  | typeof ErrorCode.FileTooLarge
  | typeof ErrorCode.InvalidRequest
  | typeof ErrorCode.Forbidden;

/**
 * A typed failure of a {@link Workspace} operation, never a raw errno leaking a host path. A
 * {@link StudiosError} whose code is one of {@link WorkspaceErrorCode}; the edges map it.
 */
export class WorkspaceError extends StudiosError {
  override name = 'WorkspaceError';
  declare readonly code: WorkspaceErrorCode;

  constructor(code: WorkspaceErrorCode, message: string) {
    super(code, message);
  }
}

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
    case 'EACCES':
    case 'EPERM':
      return new WorkspaceError(ErrorCode.Forbidden, `${relPath}: permission denied in the Studio`);
    case 'EINVAL':
      return new WorkspaceError(ErrorCode.InvalidRequest, `${relPath}: invalid operation`);
    default:
      throw error;
  }
}
