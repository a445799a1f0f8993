import type * as Y from 'yjs';

/**
 * How one kind of file lives as a Y.Doc: chosen by path when a room loads. The room owns
 * persistence, the disk bridge and broadcasting; a codec only maps between file text and doc.
 */
export interface DocumentCodec {
  readonly kind: 'text' | 'notebook';
  /** Largest file of this kind served live, and largest doc the room keeps. */
  readonly maxDocumentBytes: number;
  /** Largest frame a client may send to a document of this kind (bigger ones close with 1009). */
  readonly maxFrameBytes: number;
  /**
   * Parses file text, throwing {@link UnsupportedContentError} when the file cannot be served
   * live (a notebook that is not valid JSON). Returns a seeding step for an empty doc.
   */
  prepareSeed(fileText: string): (doc: Y.Doc) => void;
  /** The file text the doc stands for, as the file's own tool would write it. */
  serialize(doc: Y.Doc): string;
  /**
   * Three-way merge of a file change: `base` is the doc state the file last matched, `live` the
   * doc now. Returns only the Yjs update that carries the disk's change (throws
   * {@link UnsupportedContentError} for content that cannot be merged; the live doc is untouched).
   */
  mergeFromDisk(base: Uint8Array, live: Y.Doc, diskText: string): Uint8Array;
  /** Whether a stored doc has this codec's shape (a log written before notebooks had their own may not). */
  fits(doc: Y.Doc): boolean;
  /**
   * Run (in a transaction) before the doc is saved with changes: a notebook of nbformat
   * 4.0–4.4 becomes 4.5, so its cell ids reach the file. Unedited files are never rewritten.
   */
  beforeEditedSave?(doc: Y.Doc): void;
  /**
   * Why a client's update must not be applied (it writes what only the server writes), or null.
   * Runs before the update touches the doc.
   */
  refuseClientUpdate?(doc: Y.Doc, update: Uint8Array): string | null;
}

/** The file's content cannot be served live: the room reports it like a binary file (4415). */
export class UnsupportedContentError extends Error {
  override readonly name = 'UnsupportedContentError';
}
