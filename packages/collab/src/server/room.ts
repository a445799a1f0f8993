import { CloseCode } from '@studios/protocol';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import type { DocFileHost, DocFileSync } from '../disk/doc-file-sync';
import { EMPTY_HASH, sha256 } from '../disk/document-files';
import { type DocumentCodec, UnsupportedContentError } from '../document/document-codec';
import type { AppendSink, PendingAppend } from '../persistence/append-batcher';
import type { DocBase, StoredDoc } from '../persistence/update-log';
import {
  encodeAwarenessMessage,
  encodeSyncStep1,
  encodeSyncStep2,
  encodeSyncStep2FromState,
  encodeUpdate,
  isEmptyStateVector,
} from './messages';
import { broadcastCommitted, type CommittedUpdate } from './room-broadcast';
import type { RoomConnection } from './room-connection';
import { loadStoredDoc, openDocFileSync, RoomLoadError, type RoomOptions, readDocument } from './room-load';
import { baseAfterRewrite, type CompactionStep, LogCompactionPolicy } from './room-log-compaction';
import { handleFrame } from './room-messages';

/** Origins of doc updates that did not come from a socket. */
const LOAD_ORIGIN = Symbol('load');
const SEED_ORIGIN = Symbol('seed');
const DISK_ORIGIN = Symbol('disk');
/** The server's own changes (kernel outputs, the nbformat upgrade of an edited save). */
export const SERVER_ORIGIN = Symbol('server');
/**
 * One live document: the Y.Doc, its awareness, the sockets on it, its update log and its file.
 * Every accepted update is committed to the log before it is broadcast (batched with the other
 * updates of the same event-loop turn), so anything a client has seen echoed survives a crash.
 * Whatever reveals the doc's state (sync replies, file writes) commits pending updates first.
 */
export class Room {
  readonly studioId: string;
  path: string;
  readonly doc = new Y.Doc();
  readonly awareness = new awarenessProtocol.Awareness(this.doc);
  readonly connections = new Set<RoomConnection>();
  readonly ready: Promise<void>;
  /** Set while the last socket left and the room is flushing before it is destroyed. */
  unloading: Promise<void> | undefined;
  /** Server holds (open notebook handles): the room stays loaded while any is open. */
  holds = 0;
  /** How the doc maps to its file: text, or a notebook. */
  readonly codec: DocumentCodec;
  readonly #options: RoomOptions;
  /** sha256 of the doc's serialization when it last matched its file (null: it has unsaved changes). */
  #syncedHash: string | null = null;
  #fileSync: DocFileSync | undefined;
  #base: DocBase = { baseSeq: 0, extra: null, fileHash: EMPTY_HASH };
  #lastSeq = 0;
  /** The file's size as of the last serialization, plus everything logged since (deletions show at the next). */
  #approxBytes = 0;
  readonly #compaction = new LogCompactionPolicy();
  /** Broadcasts held back until the SQLite transaction that logs them has committed. */
  #deferred: Array<{ message: Uint8Array; origin: unknown }> | null = null;
  /** Set inside our own log transactions (seed, disk merge): append there instead of batching. */
  #appendInline = false;
  /** Updates of the commit being handed over, broadcast together when it is done. */
  #outbox: CommittedUpdate[] = [];
  /**
   * The SyncStep2 for a client that has nothing yet (the whole doc), until the doc changes: every
   * fresh client of a doc gets the same bytes instead of another O(doc) encode. Right after a
   * load from a single log row, it is that row as stored.
   */
  #fullSyncReply: Uint8Array | null = null;
  #destroyed = false;

  constructor(studioId: string, path: string, options: RoomOptions) {
    this.studioId = studioId;
    this.path = path;
    this.#options = options;
    this.codec = options.codecFor(path);
    // The server speaks for no one in awareness.
    this.awareness.setLocalState(null);
    this.doc.on('update', this.#onUpdate);
    this.awareness.on('update', this.#onAwarenessUpdate);
    this.ready = this.#load();
    this.ready.catch(() => {});
  }

  /** The file text the doc stands for. */
  get text(): string {
    return this.codec.serialize(this.doc);
  }

  get fileSync(): DocFileSync | undefined {
    return this.#fileSync;
  }

  /** Starts serving a socket once the doc has loaded: our state vector, then everyone's presence. */
  start(connection: RoomConnection): void {
    this.commitPending();
    connection.send(encodeSyncStep1(this.doc));
    const clients = [...this.awareness.getStates().keys()];
    if (clients.length > 0) connection.send(encodeAwarenessMessage(this.awareness, clients));
    connection.start((frame) => {
      try {
        handleFrame(this, connection, frame);
      } catch (error) {
        // Never let one socket's frame throw out of the 'message' handler (it would stop the server).
        this.#options.logger.error('collab frame failed', { path: this.path, error: String(error) });
        connection.close(CloseCode.InternalError, 'internal error');
      }
    });
  }

  /** Forgets a socket's presence when it leaves. */
  remove(connection: RoomConnection): void {
    this.connections.delete(connection);
    const clientId = connection.awarenessClientId;
    if (clientId !== null && this.awareness.getStates().has(clientId)) {
      awarenessProtocol.removeAwarenessStates(this.awareness, [clientId], connection);
    }
  }

  /**
   * Whether `bytes` more would take the document past its codec's size limit (estimated: the
   * last serialization plus what was logged since), so the file stays servable after a reload.
   */
  wouldExceedSize(bytes: number): boolean {
    return this.#approxBytes + bytes > this.codec.maxDocumentBytes;
  }

  /** Changes the doc as the server (kernel outputs, runs): logged, broadcast and saved like an edit. */
  transactAsServer(change: () => void): void {
    if (this.#destroyed) throw new RoomLoadError(CloseCode.Gone, 'document closed');
    this.doc.transact(change, SERVER_ORIGIN);
  }

  closeAll(code: number, reason: string): void {
    for (const connection of this.connections) connection.close(code, reason);
  }

  /** Writes pending text to the file (no-op for a room that never loaded). */
  async flush(): Promise<void> {
    await this.ready.catch(() => {});
    await this.#fileSync?.flush();
  }

  /** Follows a rename: new log key, new file. */
  async relocate(path: string): Promise<void> {
    this.path = path;
    await this.ready.catch(() => {});
    if (!this.#fileSync || this.#destroyed) return;
    await this.#fileSync.relocate(path);
  }

  /** The file was deleted: stop without writing it back. */
  async abandon(): Promise<void> {
    await this.ready.catch(() => {});
    await this.#fileSync?.abandon();
  }

  destroy(): void {
    if (this.#destroyed) return;
    this.#destroyed = true;
    this.#fileSync?.dispose();
    this.doc.off('update', this.#onUpdate);
    this.awareness.off('update', this.#onAwarenessUpdate);
    this.awareness.destroy();
    this.doc.destroy();
  }

  /** The SyncStep2 answering a client's state vector (commits pending updates first). */
  syncStep2For(stateVector: Uint8Array): Uint8Array {
    // The reply carries the doc's state: nothing in it may still be waiting for its commit.
    this.commitPending();
    if (!isEmptyStateVector(stateVector)) return encodeSyncStep2(this.doc, stateVector);
    this.#fullSyncReply ??= encodeSyncStep2(this.doc, stateVector);
    return this.#fullSyncReply;
  }

  /** Commits every pending update (of every room) now: call before revealing the doc's state. */
  commitPending(): void {
    this.#options.batcher.commit();
  }

  broadcast(message: Uint8Array, except?: unknown): void {
    for (const connection of this.connections) {
      if (connection !== except) connection.send(message);
    }
  }

  #onUpdate = (update: Uint8Array, origin: unknown): void => {
    this.#fullSyncReply = null;
    if (origin === LOAD_ORIGIN || this.#destroyed) return;
    this.#compaction.logged(update.length);
    this.#approxBytes += update.length;
    const append = { studioId: this.studioId, path: this.path, update };
    if (this.#appendInline) {
      this.#appendSink.committed(append, this.#options.log.append(this.studioId, this.path, update), origin);
    } else {
      this.#options.batcher.enqueue(this.#appendSink, append, origin);
    }
    if (origin !== SEED_ORIGIN) this.#fileSync?.markDirty();
  };

  readonly #appendSink: AppendSink = {
    committed: (append: PendingAppend, seq: number, origin: unknown) => {
      this.#lastSeq = seq;
      if (this.#deferred) this.#deferred.push({ message: encodeUpdate(append.update), origin });
      else this.#outbox.push({ update: append.update, origin });
    },
    batchDone: () => {
      const outbox = this.#outbox;
      this.#outbox = [];
      if (!this.#destroyed) broadcastCommitted(this.connections, outbox);
      this.#compact(this.#compaction.committed(outbox.length));
    },
    failed: (_append: PendingAppend, _origin: unknown, error: unknown) => {
      // The doc holds an edit the log does not: nobody may see it. Everyone reconnects to a
      // reloaded room (the unload writes the text out; the reload merges it back from the file).
      this.#options.logger.error('collab update could not be logged', {
        path: this.path,
        error: String(error),
      });
      this.closeAll(CloseCode.InternalError, 'update could not be saved');
    },
  };

  #onAwarenessUpdate = (
    { added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
    _origin: unknown,
  ): void => {
    const changed = [...added, ...updated, ...removed];
    if (changed.length > 0) this.broadcast(encodeAwarenessMessage(this.awareness, changed));
  };

  async #load(): Promise<void> {
    const { log } = this.#options;
    const { file, text } = await readDocument(this.#options, this.path, this.codec.maxDocumentBytes);
    if (this.#destroyed) throw new RoomLoadError(CloseCode.Gone, 'document closed');
    const diskText = file.kind === 'text' ? (text ?? '') : '';
    const diskHash = file.kind === 'text' ? file.hash : EMPTY_HASH;
    this.commitPending();
    const { stored, aheadOfFile } = loadStoredDoc(this.codec, log, this.studioId, this.path, diskHash);
    let dirty: boolean;
    try {
      dirty =
        stored.updates.length > 0
          ? this.#loadStored(stored, diskText, diskHash)
          : this.#seed(aheadOfFile ?? diskText, diskHash);
    } catch (error) {
      if (error instanceof UnsupportedContentError)
        throw new RoomLoadError(CloseCode.UnsupportedDocument, error.message);
      throw error;
    }
    const fileSync = openDocFileSync(this.path, this.#fileHost(), this.#options, this.codec.maxDocumentBytes);
    this.#fileSync = fileSync;
    await fileSync.start(file.kind === 'text' ? file.stamp : null);
    if (this.#destroyed) {
      fileSync.dispose();
      throw new RoomLoadError(CloseCode.Gone, 'document closed');
    }
    if (dirty || aheadOfFile !== null) {
      this.#syncedHash = null;
      fileSync.markDirty();
    }
  }

  /** Loads a logged doc and merges a change made while nobody had it open; true if it is ahead of the file. */
  #loadStored(stored: StoredDoc, diskText: string, diskHash: string): boolean {
    // One transaction, no Y.mergeUpdates: merging re-encodes the whole history just to apply it.
    this.doc.transact(() => {
      for (const update of stored.updates) Y.applyUpdate(this.doc, update, LOAD_ORIGIN);
    }, LOAD_ORIGIN);
    this.#lastSeq = stored.lastSeq;
    // A single row is the whole doc as one update already (a merge or a compaction wrote it).
    const [onlyRow] = stored.updates;
    if (stored.updates.length === 1 && onlyRow) this.#fullSyncReply = encodeSyncStep2FromState(onlyRow);
    const serializedHash = this.#serializedHash();
    this.#base = stored.base ?? { baseSeq: stored.lastSeq, extra: null, fileHash: serializedHash };
    // Nothing after the save the file matches: the doc is that save.
    const atBase = this.#base.baseSeq === stored.lastSeq && this.#base.extra === null;
    this.#syncedHash = atBase ? serializedHash : null;
    // The file changed while nobody had it open (or was deleted: merged as an empty file).
    if (diskHash !== this.#base.fileHash) this.mergeFromDisk(diskText, diskHash);
    this.#compact(this.#compaction.loaded(stored.updates, () => Y.encodeStateAsUpdate(this.doc).length));
    return this.#syncedHash === null && this.#serializedHash() !== diskHash;
  }

  /** First open ever: the server seeds the doc from the file, once (clients never seed). */
  #seed(fileText: string, diskHash: string): boolean {
    const seed = this.codec.prepareSeed(fileText);
    this.#inLogTransaction(() => {
      this.doc.transact(() => seed(this.doc), SEED_ORIGIN);
      this.#setBase({ baseSeq: this.#lastSeq, extra: null, fileHash: diskHash });
    });
    this.#syncedHash = this.#serializedHash();
    return false;
  }

  /** sha256 of the doc's serialization (its size is noted on the way). */
  #serializedHash(): string {
    const text = this.codec.serialize(this.doc);
    this.#approxBytes = text.length;
    return sha256(text);
  }

  /** Merges the log's rows, or rewrites it as the doc's state now (keeping the file's base). */
  #compact(step: CompactionStep): void {
    const { log } = this.#options;
    if (step === 'merge') log.compact(this.studioId, this.path);
    if (step !== 'rewrite') return;
    const state = Y.encodeStateAsUpdate(this.doc);
    const base = baseAfterRewrite(log, this.studioId, this.path, this.#base, this.#lastSeq);
    log.compactToState(this.studioId, this.path, state, this.#lastSeq, base);
    this.#base = base;
    this.#compaction.rewritten(state.length + (base.extra?.length ?? 0));
  }

  /** Three-way merge of an external change; logged and based in one transaction, then broadcast. */
  mergeFromDisk(diskText: string, diskHash: string): void {
    const { log } = this.#options;
    const base = this.#base;
    const hadUnsavedChanges = this.#syncedHash === null || this.#serializedHash() !== this.#syncedHash;
    const delta = this.codec.mergeFromDisk(log.baseState(this.studioId, this.path, base), this.doc, diskText);
    const extra = base.extra ? Y.mergeUpdates([base.extra, delta]) : delta;
    this.#inLogTransaction(() => {
      Y.applyUpdate(this.doc, delta, DISK_ORIGIN);
      this.#setBase({ baseSeq: base.baseSeq, extra, fileHash: diskHash });
    });
    // With nothing unsaved the doc is now the file; else the next save writes the merge out.
    this.#syncedHash = hadUnsavedChanges ? null : this.#serializedHash();
  }

  /**
   * Runs `work` in one log transaction whose updates are appended inline (after everything
   * pending, to keep the log in doc order) and broadcast only once it has committed.
   */
  #inLogTransaction(work: () => void): void {
    this.commitPending();
    const deferred: Array<{ message: Uint8Array; origin: unknown }> = [];
    this.#deferred = deferred;
    this.#appendInline = true;
    try {
      this.#options.log.transaction(work);
    } finally {
      this.#appendInline = false;
      this.#deferred = null;
    }
    // Only after the commit: a rolled-back transaction's updates are never shown.
    for (const { message, origin } of deferred) this.broadcast(message, origin);
  }

  #setBase(base: DocBase): void {
    this.#base = base;
    this.#options.log.setBase(this.studioId, this.path, base);
  }

  #fileHost(): DocFileHost {
    return {
      snapshot: () => {
        this.commitPending();
        let text = this.codec.serialize(this.doc);
        this.#approxBytes = text.length;
        let hash = sha256(text);
        const unchanged = hash === this.#syncedHash;
        if (!unchanged && this.codec.beforeEditedSave) {
          // Logged and broadcast like any change: everyone sees the notebook's new nbformat minor.
          this.doc.transact(() => this.codec.beforeEditedSave?.(this.doc), SERVER_ORIGIN);
          this.commitPending();
          text = this.codec.serialize(this.doc);
          this.#approxBytes = text.length;
          hash = sha256(text);
        }
        return { text, hash, seq: this.#lastSeq, unchanged };
      },
      baseHash: () => this.#base.fileHash,
      mergeFromDisk: (text: string, hash: string) => this.mergeFromDisk(text, hash),
      synced: (seq: number, fileHash: string) => {
        // The file is written; its base joins the next commit rather than paying its own.
        const base = { baseSeq: seq, extra: null, fileHash };
        // A write: the file now holds exactly the doc's serialization at `seq`.
        if (fileHash !== this.#base.fileHash) this.#syncedHash = fileHash;
        this.#base = base;
        this.#options.batcher.writeWithNextCommit(() =>
          this.#options.log.setBase(this.studioId, this.path, base),
        );
      },
      unsupported: (reason: string) => this.closeAll(CloseCode.UnsupportedDocument, reason),
      saved: (savedAt: Date) => this.#options.onSaved(this, savedAt),
    };
  }
}
