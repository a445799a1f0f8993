import { createHash } from 'node:crypto';
import type { AgentDocRead, AgentFileStamp } from '@studios/protocol';

/** A file's identity and content stamp, as the disk bridge compares them. */
export type FileStamp = AgentFileStamp;

/**
 * What the disk bridge needs of a Studio's files. The server passes the Studio's agent, so every
 * read and write happens inside the Studio as its user: the collab package never opens a path
 * itself. Paths are relative to the workspace.
 */
export interface DocumentFiles {
  /** The file as a live document: its text and stamp, or why it cannot be served live. */
  readDocument(path: string, maxBytes: number): Promise<{ file: AgentDocRead; text?: string }>;
  /** The file's stamp, or null when it does not exist. */
  documentStamp(path: string): Promise<FileStamp | null>;
  /** Replaces the file's content atomically; `existing` is the file as last stamped (null: missing). */
  writeDocument(path: string, text: string, existing?: FileStamp | null): Promise<FileStamp>;
  /** Removes the file only if it is still inode `ino` (our own save that raced a rename or delete). */
  removeIfSame(path: string, ino: number): Promise<boolean>;
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Hash of the content a missing file stands for (an empty doc). */
export const EMPTY_HASH = sha256('');
