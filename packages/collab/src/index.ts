// Live documents (Yjs rooms, update log, disk bridge) and workspace files, for the server.
export type { FileOwner } from './disk/file-io';
export {
  CollabService,
  type CollabServiceOptions,
  type CollabTarget,
  type SavedEvent,
} from './server/collab-service';
export type { CollabConnection, CollabUser } from './server/room-connection';
export { Workspace, type WorkspaceOptions } from './workspace/workspace';
export { toWorkspaceError, WorkspaceError, type WorkspaceErrorCode } from './workspace/workspace-error';
export { normalizeWorkspacePath } from './workspace/workspace-path';
export {
  type FileTreeChange,
  WorkspaceWatcher,
  type WorkspaceWatcherOptions,
} from './workspace/workspace-watcher';
