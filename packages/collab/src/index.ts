// Live documents (Yjs rooms, update log, disk bridge), for the server. Files are reached only
// through `DocumentFiles`, which the server implements with the Studio's agent.
export type { DocumentFiles, FileStamp } from './disk/document-files';
export { isNotebookPath, notebookMaxFrameBytes } from './notebook/notebook-codec';
export { type AppendOutputResult, type NotebookCellInfo, NotebookHandle } from './notebook/notebook-handle';
export {
  CollabService,
  type CollabServiceOptions,
  type CollabTarget,
  type SavedEvent,
} from './server/collab-service';
export type { CollabConnection, CollabUser } from './server/room-connection';
export { RoomLoadError as DocumentLoadError } from './server/room-load';
