import { WORKSPACE_ERROR_STATUS, WorkspaceError } from '@studios/collab';
import { ApiError } from '../../http/api-error';

/** Runs a workspace operation, turning its typed failures into API errors (400/403/404/409/413). */
export async function workspaceCall<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof WorkspaceError) {
      throw new ApiError(WORKSPACE_ERROR_STATUS[error.code], error.code, error.message);
    }
    throw error;
  }
}
