import type { Clock, Logger } from '@studios/base';
import { type AgentDocRead, CloseCode, ErrorCode, isStudiosError } from '@studios/protocol';
import { type DocFileHost, DocFileSync } from '../disk/doc-file-sync';
import type { DocumentFiles } from '../disk/document-files';
import type { AppendBatcher } from '../persistence/append-batcher';
import type { UpdateLog } from '../persistence/update-log';

export interface RoomOptions {
  log: UpdateLog;
  /** Shared by every room: appends commit once per event-loop turn, before they are broadcast. */
  batcher: AppendBatcher;
  /** The Studio's files, through its agent. */
  files: DocumentFiles;
  clock: Clock;
  logger: Logger;
  writeDebounceMs: number;
  pollIntervalMs: number;
  maxDocumentBytes: number;
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

/** A room's file as its agent read it, or why it cannot be served (as the close every socket gets). */
export async function readDocument(
  options: RoomOptions,
  path: string,
): Promise<{ file: AgentDocRead; text?: string }> {
  let read: { file: AgentDocRead; text?: string };
  try {
    read = await options.files.readDocument(path, options.maxDocumentBytes);
  } catch (error) {
    if (isStudiosError(error, ErrorCode.PathOutsideWorkspace) || isStudiosError(error, ErrorCode.Forbidden)) {
      throw new RoomLoadError(CloseCode.Forbidden, 'path outside workspace');
    }
    if (isStudiosError(error, ErrorCode.NotFound) || isStudiosError(error, ErrorCode.InvalidRequest)) {
      throw new RoomLoadError(CloseCode.NotFound, 'document not found');
    }
    // The agent is not reachable right now (restarting, Studio starting): clients retry.
    throw new RoomLoadError(CloseCode.ServerRestarting, "the Studio's files are not reachable right now");
  }
  if (read.file.kind === 'unsupported')
    throw new RoomLoadError(CloseCode.UnsupportedDocument, read.file.reason);
  if (read.file.kind === 'not-a-file') throw new RoomLoadError(CloseCode.NotFound, 'not a file');
  return read;
}

/** The disk bridge of a room's document, with the service-wide settings. */
export function openDocFileSync(path: string, host: DocFileHost, options: RoomOptions): DocFileSync {
  return new DocFileSync(path, host, {
    files: options.files,
    clock: options.clock,
    log: options.logger,
    writeDebounceMs: options.writeDebounceMs,
    pollIntervalMs: options.pollIntervalMs,
    maxBytes: options.maxDocumentBytes,
  });
}
