import { type Clock, type Disposable, type Logger, silentLogger, systemClock } from '@studios/base';
import {
  CloseCode,
  MAX_NOTEBOOK_DOCUMENT_BYTES,
  MAX_TEXT_DOCUMENT_BYTES,
  normalizeWorkspacePath,
} from '@studios/protocol';
import type WebSocket from 'ws';
import type { DocumentFiles } from '../disk/document-files';
import { createTextCodec } from '../document/text-codec';
import { createNotebookCodec, isNotebookPath } from '../notebook/notebook-codec';
import { NotebookHandle } from '../notebook/notebook-handle';
import { AppendBatcher } from '../persistence/append-batcher';
import { UpdateLog } from '../persistence/update-log';
import { Room } from './room';
import { type CollabConnection, type CollabUser, RoomConnection } from './room-connection';
import { RoomLoadError } from './room-load';

export interface CollabServiceOptions {
  /** SQLite file holding every document's update log. */
  dbPath: string;
  /**
   * How far the file on disk may lag behind the doc (docs/architecture.md: at most 1 s, write
   * included). Default 750 ms: every open document under continuous typing costs one atomic
   * write per this interval, and with hundreds of documents those writes dominate the server's
   * CPU; the rest of the second is headroom for the write itself.
   */
  writeDebounceMs?: number;
  /** Fallback stat poll of open documents' files, for changes the agent's watch misses. Default 2000 ms. */
  pollIntervalMs?: number;
  /** Ping interval; a socket that missed one pong is dropped. Default 30 s. */
  heartbeatMs?: number;
  clock?: Clock;
  log?: Logger;
  /** Files above this size are not opened live. Default MAX_TEXT_DOCUMENT_BYTES (5 MB). */
  maxDocumentBytes?: number;
  /** Notebooks above this size are not opened live. Default MAX_NOTEBOOK_DOCUMENT_BYTES (64 MB). */
  maxNotebookBytes?: number;
}

/** The socket's document and who is on it; the server has authenticated and authorized them. */
export interface CollabTarget {
  studioId: string;
  /** The Studio's files (its agent); every open document of the Studio reads and writes through it. */
  files: DocumentFiles;
  /** Path relative to the workspace root (decoded from the URL). */
  docPath: string;
  user: CollabUser;
  canWrite: boolean;
}

export interface SavedEvent {
  studioId: string;
  path: string;
  savedAt: Date;
}

/**
 * Live collaborative documents over the y-websocket protocol. One room per (Studio, path), each
 * with a Y.Doc whose text is `getText('source')`, an awareness, an SQLite update log and a disk
 * bridge. Rooms load on first connection (shared loading promise, seeded from the file once) and
 * unload after their last socket leaves and the text is on disk.
 */
export class CollabService implements Disposable {
  readonly #log: UpdateLog;
  readonly #batcher: AppendBatcher;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #options: Required<
    Pick<CollabServiceOptions, 'writeDebounceMs' | 'pollIntervalMs' | 'maxDocumentBytes' | 'maxNotebookBytes'>
  >;
  readonly #rooms = new Map<string, Room>();
  readonly #savedListeners = new Set<(event: SavedEvent) => void>();
  readonly #heartbeat: Disposable;
  #disposed = false;

  constructor(options: CollabServiceOptions) {
    this.#log = new UpdateLog(options.dbPath);
    this.#clock = options.clock ?? systemClock;
    this.#logger = options.log ?? silentLogger;
    this.#batcher = new AppendBatcher(this.#log, { log: this.#logger });
    this.#options = {
      writeDebounceMs: Math.min(options.writeDebounceMs ?? 750, 1000),
      pollIntervalMs: options.pollIntervalMs ?? 2000,
      maxDocumentBytes: options.maxDocumentBytes ?? MAX_TEXT_DOCUMENT_BYTES,
      maxNotebookBytes: options.maxNotebookBytes ?? MAX_NOTEBOOK_DOCUMENT_BYTES,
    };
    this.#heartbeat = this.#clock.setInterval(() => this.#beat(), options.heartbeatMs ?? 30_000);
  }

  /** Serves an already-upgraded, authenticated and authorized socket. */
  handleConnection(ws: WebSocket, target: CollabTarget): CollabConnection {
    const connection = new RoomConnection(ws, target.user, target.canWrite);
    if (this.#disposed) {
      connection.close(CloseCode.ServerRestarting, 'server shutting down');
      return connection;
    }
    let path: string;
    try {
      path = normalizeWorkspacePath(target.docPath);
    } catch {
      connection.close(CloseCode.NotFound, 'invalid document path');
      return connection;
    }
    const room = this.#room(target.studioId, target.files, path);
    room.connections.add(connection);
    ws.on('message', (data: Buffer | ArrayBuffer | Buffer[]) => connection.receive(toBytes(data)));
    ws.on('pong', () => {
      connection.alive = true;
    });
    ws.on('error', (error) => this.#logger.warn('collab socket error', { error: String(error) }));
    ws.on('close', () => this.#release(room, connection));
    room.ready.then(
      () => {
        if (connection.isOpen && room.connections.has(connection)) room.start(connection);
      },
      (error: unknown) => {
        if (error instanceof RoomLoadError) {
          connection.close(error.closeCode, error.reason);
        } else {
          this.#logger.error('collab document failed to load', { path, error: String(error) });
          connection.close(CloseCode.InternalError, 'document failed to load');
        }
      },
    );
    return connection;
  }

  /**
   * Opens a notebook for the server's own writes (the kernel feature): the room loads like a
   * socket's would and stays loaded until the handle is disposed, whether or not any browser
   * is on it. Rejects with {@link RoomLoadError} when the file cannot be served, and when the
   * path is not a notebook.
   */
  async openNotebook(studioId: string, files: DocumentFiles, docPath: string): Promise<NotebookHandle> {
    if (this.#disposed) throw new RoomLoadError(CloseCode.ServerRestarting, 'server shutting down');
    const path = normalizeWorkspacePath(docPath);
    if (!isNotebookPath(path)) throw new RoomLoadError(CloseCode.UnsupportedDocument, 'not a notebook');
    const room = this.#room(studioId, files, path);
    room.holds += 1;
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      room.holds -= 1;
      this.#unloadIfUnused(room);
    };
    try {
      await room.ready;
    } catch (error) {
      release();
      throw error;
    }
    return new NotebookHandle(room, release);
  }

  onSaved(listener: (event: SavedEvent) => void): Disposable {
    this.#savedListeners.add(listener);
    return { dispose: () => this.#savedListeners.delete(listener) };
  }

  /**
   * The Studio's agent saw these paths change (anyone's write: terminal, git, SSH): open
   * documents among them look at their file now instead of at the next poll.
   */
  pathsChanged(studioId: string, paths: readonly string[]): void {
    for (const path of paths) this.#rooms.get(roomKey(studioId, path))?.fileSync?.checkSoon();
  }

  /** A file or folder was renamed through the files API (call after the rename): rooms and logs follow. */
  async pathMoved(studioId: string, from: string, to: string): Promise<void> {
    const source = normalizeWorkspacePath(from);
    const target = normalizeWorkspacePath(to);
    // Pending appends carry the old path: they go in before the log moves.
    this.#batcher.commit();
    this.#log.move(studioId, source, target);
    const moves: Promise<void>[] = [];
    for (const room of this.#roomsUnder(studioId, source)) {
      this.#rooms.delete(roomKey(studioId, room.path));
      const path = target + room.path.slice(source.length);
      this.#rooms.get(roomKey(studioId, path))?.closeAll(CloseCode.Gone, 'file replaced');
      this.#rooms.set(roomKey(studioId, path), room);
      moves.push(room.relocate(path));
    }
    await Promise.all(moves);
  }

  /** A file or folder was deleted through the files API: its rooms close (4410) and logs go. */
  async pathDeleted(studioId: string, path: string): Promise<void> {
    const deleted = normalizeWorkspacePath(path);
    const rooms = this.#roomsUnder(studioId, deleted);
    // Out of the map and the log first: a socket opening the path again gets a fresh, empty doc.
    for (const room of rooms) this.#rooms.delete(roomKey(studioId, room.path));
    this.#batcher.commit();
    this.#log.drop(studioId, deleted);
    for (const room of rooms) room.closeAll(CloseCode.Gone, 'file deleted');
    await Promise.all(rooms.map((room) => room.abandon()));
  }

  /** Flushes and closes every room of a Studio (it is stopping): sockets close with `code`. */
  async closeStudio(studioId: string, code: number, reason: string): Promise<void> {
    const rooms = [...this.#rooms.values()].filter((room) => room.studioId === studioId);
    await Promise.all(rooms.map((room) => room.flush()));
    for (const room of rooms) room.closeAll(code, reason);
  }

  /** The Studio was deleted: rooms close with 4410 without writing, and its logs are dropped. */
  async deleteStudio(studioId: string): Promise<void> {
    const rooms = [...this.#rooms.values()].filter((room) => room.studioId === studioId);
    for (const room of rooms) this.#rooms.delete(roomKey(studioId, room.path));
    this.#batcher.commit();
    this.#log.dropStudio(studioId);
    for (const room of rooms) room.closeAll(CloseCode.Gone, 'studio deleted');
    await Promise.all(rooms.map((room) => room.abandon()));
  }

  /** Writes every document with unsaved text to disk (shutdown). */
  async flushAll(): Promise<void> {
    await Promise.all([...this.#rooms.values()].map((room) => room.flush()));
  }

  stats(): { rooms: number; connections: number } {
    let connections = 0;
    for (const room of this.#rooms.values()) connections += room.connections.size;
    return { rooms: this.#rooms.size, connections };
  }

  /** Flushes everything, closes sockets with 4503 (clients reconnect to the next server) and the log. */
  async dispose(): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#heartbeat.dispose();
    await this.flushAll();
    const rooms = [...this.#rooms.values()];
    for (const room of rooms) {
      room.closeAll(CloseCode.ServerRestarting, 'server restarting');
      for (const connection of room.connections) connection.ws.terminate();
    }
    for (const room of this.#rooms.values()) room.destroy();
    this.#rooms.clear();
    this.#batcher.commit();
    this.#log.close();
  }

  #room(studioId: string, files: DocumentFiles, path: string): Room {
    const key = roomKey(studioId, path);
    let room = this.#rooms.get(key);
    if (!room) {
      room = new Room(studioId, path, {
        log: this.#log,
        batcher: this.#batcher,
        files,
        clock: this.#clock,
        logger: this.#logger,
        writeDebounceMs: this.#options.writeDebounceMs,
        pollIntervalMs: this.#options.pollIntervalMs,
        codecFor: (docPath) =>
          isNotebookPath(docPath)
            ? createNotebookCodec(this.#options.maxNotebookBytes)
            : createTextCodec(this.#options.maxDocumentBytes),
        onSaved: (saved, savedAt) => this.#emitSaved({ studioId: saved.studioId, path: saved.path, savedAt }),
      });
      this.#rooms.set(key, room);
    }
    return room;
  }

  /** A socket left. */
  #release(room: Room, connection: RoomConnection): void {
    room.remove(connection);
    this.#unloadIfUnused(room);
  }

  /** Nobody is on the room any more: write it out, then destroy it unless someone came back. */
  #unloadIfUnused(room: Room): void {
    if (room.connections.size > 0 || room.holds > 0 || room.unloading) return;
    room.unloading = room
      .flush()
      .catch((error: unknown) => this.#logger.error('flush on unload failed', { error: String(error) }))
      .then(() => {
        room.unloading = undefined;
        if (room.connections.size > 0 || room.holds > 0) return;
        const key = roomKey(room.studioId, room.path);
        if (this.#rooms.get(key) === room) this.#rooms.delete(key);
        room.destroy();
      });
  }

  #roomsUnder(studioId: string, path: string): Room[] {
    return [...this.#rooms.values()].filter(
      (room) => room.studioId === studioId && (room.path === path || room.path.startsWith(`${path}/`)),
    );
  }

  #emitSaved(event: SavedEvent): void {
    for (const listener of this.#savedListeners) {
      try {
        listener(event);
      } catch (error) {
        this.#logger.error('onSaved listener failed', { error: String(error) });
      }
    }
  }

  #beat(): void {
    for (const room of this.#rooms.values()) {
      for (const connection of room.connections) {
        if (!connection.alive) {
          connection.ws.terminate();
          continue;
        }
        connection.alive = false;
        if (connection.isOpen) connection.ws.ping();
      }
    }
  }
}

function roomKey(studioId: string, path: string): string {
  return `${studioId}\u0000${path}`;
}

function toBytes(data: Buffer | ArrayBuffer | Buffer[]): Uint8Array {
  if (Array.isArray(data)) return Buffer.concat(data);
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return data;
}
