import type { Clock, Logger } from '@studios/base';
import { CloseCode, ErrorCode } from '@studios/protocol';
import type { DirectoryWatchers } from '../disk/directory-watchers';
import { type DocFileHost, DocFileSync } from '../disk/doc-file-sync';
import type { FileOwner } from '../disk/file-io';
import type { AppendBatcher } from '../persistence/append-batcher';
import type { UpdateLog } from '../persistence/update-log';
import type { Workspace } from '../workspace/workspace';
import { WorkspaceError } from '../workspace/workspace-error';

export interface RoomOptions {
  log: UpdateLog;
  /** Shared by every room: appends commit once per event-loop turn, before they are broadcast. */
  batcher: AppendBatcher;
  /** Shared by every room: one fs.watch per folder of open documents. */
  watchers: DirectoryWatchers;
  /** The Studio's workspace (shared by its rooms, so its real root is looked up once). */
  workspace: Workspace;
  clock: Clock;
  logger: Logger;
  writeDebounceMs: number;
  pollIntervalMs: number;
  maxDocumentBytes: number;
  fileOwner?: FileOwner;
  onSaved(room: { studioId: string; path: string }, savedAt: Date): void;
}

/** The document cannot be served; every socket waiting for it closes with this code and reason. */
export class RoomLoadError extends Error {
  constructor(
    readonly closeCode: number,
    readonly reason: string,
  ) {
    super(reason);
  }
}

/** The real path of a room's document, or why it cannot be served. */
export async function resolveDocument(workspace: Workspace, path: string): Promise<string> {
  try {
    return await workspace.resolve(path);
  } catch (error) {
    if (!(error instanceof WorkspaceError)) throw error;
    if (error.code === ErrorCode.PathOutsideWorkspace)
      throw new RoomLoadError(CloseCode.Forbidden, 'path outside workspace');
    throw new RoomLoadError(CloseCode.NotFound, 'document not found');
  }
}

/** The disk bridge of a room's document, with the service-wide settings. */
export function openDocFileSync(realPath: string, host: DocFileHost, options: RoomOptions): DocFileSync {
  return new DocFileSync(realPath, host, {
    clock: options.clock,
    log: options.logger,
    writeDebounceMs: options.writeDebounceMs,
    pollIntervalMs: options.pollIntervalMs,
    maxBytes: options.maxDocumentBytes,
    watchers: options.watchers,
    ...(options.fileOwner ? { fileOwner: options.fileOwner } : {}),
  });
}
