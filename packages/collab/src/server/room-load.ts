import type { Clock, Logger } from '@studios/base';
import { type AgentDocRead, CloseCode, ErrorCode, isStudiosError } from '@studios/protocol';
import * as Y from 'yjs';
import { type DocFileHost, DocFileSync } from '../disk/doc-file-sync';
import type { DocumentFiles } from '../disk/document-files';
import { sha256 } from '../disk/document-files';
import { type DocumentCodec, UnsupportedContentError } from '../document/document-codec';
import { isTextShaped } from '../document/text-codec';
import type { AppendBatcher } from '../persistence/append-batcher';
import type { StoredDoc, UpdateLog } from '../persistence/update-log';

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
  /** The codec of a document at this path (a new one per room: a codec may remember its file's layout). */
  codecFor(path: string): DocumentCodec;
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
  maxBytes: number,
): Promise<{ file: AgentDocRead; text?: string }> {
  let read: { file: AgentDocRead; text?: string };
  try {
    read = await options.files.readDocument(path, maxBytes);
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
export function openDocFileSync(
  path: string,
  host: DocFileHost,
  options: RoomOptions,
  maxBytes: number,
): DocFileSync {
  return new DocFileSync(path, host, {
    files: options.files,
    clock: options.clock,
    log: options.logger,
    writeDebounceMs: options.writeDebounceMs,
    pollIntervalMs: options.pollIntervalMs,
    maxBytes,
  });
}

/**
 * A doc's log, unless it was written before its file type had a codec of its own (a notebook
 * logged as text): then the log is dropped, and the room starts over from the file, or from
 * the logged text when that holds edits the file never got (`aheadOfFile`).
 */
export function loadStoredDoc(
  codec: DocumentCodec,
  log: UpdateLog,
  studioId: string,
  path: string,
  diskHash: string,
): { stored: StoredDoc; aheadOfFile: string | null } {
  const stored = log.load(studioId, path);
  if (stored.updates.length === 0 || storedDocFits(codec, stored.updates))
    return { stored, aheadOfFile: null };
  const kept = unsavedLegacyText(stored, diskHash);
  log.drop(studioId, path);
  return {
    stored: { updates: [], lastSeq: 0, base: null },
    aheadOfFile: kept !== null && isSeedable(codec, kept) ? kept : null,
  };
}

/** Whether a logged doc has the codec's shape (a notebook logged as text before notebooks had a codec does not). */
function storedDocFits(codec: DocumentCodec, updates: readonly Uint8Array[]): boolean {
  if (codec.kind === 'text') return true;
  const scratch = new Y.Doc();
  try {
    scratch.transact(() => {
      for (const update of updates) Y.applyUpdate(scratch, update);
    });
    return codec.fits(scratch);
  } finally {
    scratch.destroy();
  }
}

/**
 * The text of a text-shaped log when it holds edits its file never got (the server stopped
 * before the save), else null: then the file is the newest copy.
 */
function unsavedLegacyText(stored: StoredDoc, diskHash: string): string | null {
  const scratch = new Y.Doc();
  try {
    scratch.transact(() => {
      for (const update of stored.updates) Y.applyUpdate(scratch, update);
    });
    if (!isTextShaped(scratch)) return null;
    const text = scratch.getText('source').toString();
    const hash = sha256(text);
    return hash !== diskHash && hash !== stored.base?.fileHash ? text : null;
  } finally {
    scratch.destroy();
  }
}

/** Whether the codec can seed a doc from this text. */
function isSeedable(codec: DocumentCodec, text: string): boolean {
  try {
    codec.prepareSeed(text);
    return true;
  } catch (error) {
    if (error instanceof UnsupportedContentError) return false;
    throw error;
  }
}
