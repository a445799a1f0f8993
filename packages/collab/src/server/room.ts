import { CloseCode, ErrorCode, TEXT_SOURCE_NAME } from '@studios/protocol';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import type { Clock } from '../clock';
import { DocFileSync } from '../disk/doc-file-sync';
import { EMPTY_HASH, type FileOwner, readTextFile, sha256 } from '../disk/file-io';
import type { Logger } from '../logger';
import type { DocBase, UpdateLog } from '../persistence/update-log';
import { mergeDiskChange } from '../text/disk-merge';
import { Workspace } from '../workspace/workspace';
import { WorkspaceError } from '../workspace/workspace-error';
import { encodeAwarenessMessage, encodeSyncStep1, encodeUpdate } from './messages';
import type { RoomConnection } from './room-connection';
import { handleFrame } from './room-messages';

export interface RoomOptions {
  log: UpdateLog;
  clock: Clock;
  logger: Logger;
  writeDebounceMs: number;
  pollIntervalMs: number;
  maxDocumentBytes: number;
  fileOwner?: FileOwner;
  onSaved(room: Room, savedAt: Date): void;
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

/** Origins of doc updates that did not come from a socket. */
const LOAD_ORIGIN = Symbol('load');
const SEED_ORIGIN = Symbol('seed');
const DISK_ORIGIN = Symbol('disk');
/** Log rows after which a doc's log is compacted (keeps loads fast and the file small). */
const COMPACT_AFTER = 500;

/**
 * One live document: the Y.Doc, its awareness, the sockets on it, its update log and its file.
 * Every accepted update is appended to the log before it is broadcast, so anything a client has
 * seen echoed survives a crash.
 */
export class Room {
  readonly studioId: string;
  readonly workspaceRoot: string;
  path: string;
  readonly doc = new Y.Doc();
  readonly awareness = new awarenessProtocol.Awareness(this.doc);
  readonly connections = new Set<RoomConnection>();
  readonly ready: Promise<void>;
  /** Set while the last socket left and the room is flushing before it is destroyed. */
  unloading: Promise<void> | undefined;
  readonly #options: RoomOptions;
  #fileSync: DocFileSync | undefined;
  #base: DocBase = { baseSeq: 0, extra: null, fileHash: EMPTY_HASH };
  #lastSeq = 0;
  #appendsSinceCompaction = 0;
  /** Broadcasts held back until the SQLite transaction that logs them has committed. */
  #deferred: Array<{ message: Uint8Array; origin: unknown }> | null = null;
  #destroyed = false;

  constructor(studioId: string, workspaceRoot: string, path: string, options: RoomOptions) {
    this.studioId = studioId;
    this.workspaceRoot = workspaceRoot;
    this.path = path;
    this.#options = options;
    // The server speaks for no one in awareness.
    this.awareness.setLocalState(null);
    this.doc.on('update', this.#onUpdate);
    this.awareness.on('update', this.#onAwarenessUpdate);
    this.ready = this.#load();
    this.ready.catch(() => {});
  }

  get text(): string {
    return this.doc.getText(TEXT_SOURCE_NAME).toString();
  }

  get fileSync(): DocFileSync | undefined {
    return this.#fileSync;
  }

  /** Starts serving a socket once the doc has loaded: our state vector, then everyone's presence. */
  start(connection: RoomConnection): void {
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
    await this.#fileSync.relocate(await new Workspace(this.workspaceRoot).resolve(path));
  }

  /** The file was deleted: stop without writing it back. */
  async abandon(): Promise<void> {
    await this.ready.catch(() => {});
    await this.#fileSync?.abandon();
  }

  destroy(): void {
    if (this.#destroyed) return;
    this.#destroyed = true;
    this.#fileSync?.[Symbol.dispose]();
    this.doc.off('update', this.#onUpdate);
    this.awareness.off('update', this.#onAwarenessUpdate);
    this.awareness.destroy();
    this.doc.destroy();
  }

  broadcast(message: Uint8Array, except?: unknown): void {
    for (const connection of this.connections) {
      if (connection !== except) connection.send(message);
    }
  }

  #onUpdate = (update: Uint8Array, origin: unknown): void => {
    if (origin === LOAD_ORIGIN || this.#destroyed) return;
    const { log } = this.#options;
    this.#lastSeq = log.append(this.studioId, this.path, update);
    if (++this.#appendsSinceCompaction > COMPACT_AFTER) {
      this.#appendsSinceCompaction = 0;
      log.compact(this.studioId, this.path);
    }
    const message = encodeUpdate(update);
    if (this.#deferred) this.#deferred.push({ message, origin });
    else this.broadcast(message, origin);
    if (origin !== SEED_ORIGIN) this.#fileSync?.markDirty();
  };

  #onAwarenessUpdate = (
    { added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
    _origin: unknown,
  ): void => {
    const changed = [...added, ...updated, ...removed];
    if (changed.length > 0) this.broadcast(encodeAwarenessMessage(this.awareness, changed));
  };

  async #load(): Promise<void> {
    const { log, maxDocumentBytes } = this.#options;
    const realPath = await this.#resolve();
    const file = await readTextFile(realPath, maxDocumentBytes);
    if (file.kind === 'unsupported') throw new RoomLoadError(CloseCode.UnsupportedDocument, file.reason);
    if (file.kind === 'not-a-file') throw new RoomLoadError(CloseCode.NotFound, 'not a file');
    if (this.#destroyed) throw new RoomLoadError(CloseCode.Gone, 'document closed');
    const diskText = file.kind === 'text' ? file.text : '';
    const diskHash = file.kind === 'text' ? file.hash : EMPTY_HASH;
    const stored = log.load(this.studioId, this.path);
    if (stored.updates.length > 0) {
      Y.applyUpdate(this.doc, Y.mergeUpdates(stored.updates), LOAD_ORIGIN);
      this.#lastSeq = stored.lastSeq;
      this.#base = stored.base ?? { baseSeq: stored.lastSeq, extra: null, fileHash: sha256(this.text) };
      // The file changed while nobody had it open (or was deleted: merged as an empty file).
      if (diskHash !== this.#base.fileHash) this.mergeFromDisk(diskText, diskHash);
      if (stored.updates.length > COMPACT_AFTER) log.compact(this.studioId, this.path);
    } else {
      // First open ever: the server seeds the doc from the file, once (clients never seed).
      log.transaction(() => {
        if (diskText)
          this.doc.transact(() => this.doc.getText(TEXT_SOURCE_NAME).insert(0, diskText), SEED_ORIGIN);
        this.#setBase({ baseSeq: this.#lastSeq, extra: null, fileHash: diskHash });
      });
    }
    const fileSync = new DocFileSync(realPath, this.#fileHost(), {
      clock: this.#options.clock,
      log: this.#options.logger,
      writeDebounceMs: this.#options.writeDebounceMs,
      pollIntervalMs: this.#options.pollIntervalMs,
      maxBytes: maxDocumentBytes,
      ...(this.#options.fileOwner ? { fileOwner: this.#options.fileOwner } : {}),
    });
    this.#fileSync = fileSync;
    await fileSync.start();
    if (this.#destroyed) {
      fileSync[Symbol.dispose]();
      throw new RoomLoadError(CloseCode.Gone, 'document closed');
    }
    if (sha256(this.text) !== diskHash) fileSync.markDirty();
  }

  async #resolve(): Promise<string> {
    try {
      return await new Workspace(this.workspaceRoot).resolve(this.path);
    } catch (error) {
      if (!(error instanceof WorkspaceError)) throw error;
      if (error.code === ErrorCode.PathOutsideWorkspace)
        throw new RoomLoadError(CloseCode.Forbidden, 'path outside workspace');
      throw new RoomLoadError(CloseCode.NotFound, 'document not found');
    }
  }

  /** Three-way merge of an external change; logged and based in one transaction, then broadcast. */
  mergeFromDisk(diskText: string, diskHash: string): void {
    const { log } = this.#options;
    const base = this.#base;
    const { delta } = mergeDiskChange(log.baseState(this.studioId, this.path, base), diskText);
    const extra = base.extra ? Y.mergeUpdates([base.extra, delta]) : delta;
    this.#deferred = [];
    try {
      log.transaction(() => {
        Y.applyUpdate(this.doc, delta, DISK_ORIGIN);
        this.#setBase({ baseSeq: base.baseSeq, extra, fileHash: diskHash });
      });
    } finally {
      const deferred = this.#deferred;
      this.#deferred = null;
      for (const { message, origin } of deferred) this.broadcast(message, origin);
    }
  }

  #setBase(base: DocBase): void {
    this.#base = base;
    this.#options.log.setBase(this.studioId, this.path, base);
  }

  #fileHost() {
    return {
      snapshot: () => ({ text: this.text, seq: this.#lastSeq }),
      baseHash: () => this.#base.fileHash,
      mergeFromDisk: (text: string, hash: string) => this.mergeFromDisk(text, hash),
      synced: (seq: number, hash: string) => this.#setBase({ baseSeq: seq, extra: null, fileHash: hash }),
      unsupported: (reason: string) => this.closeAll(CloseCode.UnsupportedDocument, reason),
      saved: (savedAt: Date) => this.#options.onSaved(this, savedAt),
    };
  }
}
