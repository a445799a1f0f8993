import type { Disposable } from '@studios/base';
import Database from 'better-sqlite3';
import * as Y from 'yjs';

/** Where a document's text was last in sync with its file. */
export interface DocBase {
  /** Log rows of this doc with seq ≤ baseSeq, plus `extra`, make up the doc state the file matches. */
  baseSeq: number;
  /** Disk changes merged since that save (applied to the live doc after baseSeq). */
  extra: Uint8Array | null;
  /** sha256 of the file bytes at that moment. */
  fileHash: string;
}

export interface StoredDoc {
  updates: Uint8Array[];
  /** Seq of the last stored update (0 when there is none). */
  lastSeq: number;
  base: DocBase | null;
}

/**
 * The append-only Yjs update log, one SQLite file for every Studio. Appends are synchronous
 * (better-sqlite3) so a caller can log an update before anyone else sees it. The prefix of a
 * doc's log up to `baseSeq` is the state its file was written from; compaction keeps that
 * boundary so the base survives (item ids are kept: offline clients merge without duplicates).
 */
export class UpdateLog implements Disposable {
  readonly #db: Database.Database;
  readonly #statements;
  readonly #appendAll: (
    appends: readonly { studioId: string; path: string; update: Uint8Array }[],
  ) => number[];

  constructor(dbPath: string) {
    this.#db = new Database(dbPath);
    this.#db.pragma('journal_mode = WAL');
    // NORMAL in WAL mode: a committed transaction survives a process crash (not a power cut).
    this.#db.pragma('synchronous = NORMAL');
    this.#db.exec(`
      CREATE TABLE IF NOT EXISTS updates (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        studio_id TEXT NOT NULL,
        path TEXT NOT NULL,
        data BLOB NOT NULL
      );
      CREATE INDEX IF NOT EXISTS updates_by_doc ON updates (studio_id, path, seq);
      CREATE TABLE IF NOT EXISTS doc_bases (
        studio_id TEXT NOT NULL,
        path TEXT NOT NULL,
        base_seq INTEGER NOT NULL,
        extra BLOB,
        file_hash TEXT NOT NULL,
        PRIMARY KEY (studio_id, path)
      );
    `);
    const db = this.#db;
    this.#statements = {
      append: db.prepare('INSERT INTO updates (studio_id, path, data) VALUES (?, ?, ?)'),
      insertAt: db.prepare('INSERT INTO updates (seq, studio_id, path, data) VALUES (?, ?, ?, ?)'),
      load: db.prepare<[string, string], { seq: number; data: Buffer }>(
        'SELECT seq, data FROM updates WHERE studio_id = ? AND path = ? ORDER BY seq',
      ),
      prefix: db.prepare<[string, string, number], { data: Buffer }>(
        'SELECT data FROM updates WHERE studio_id = ? AND path = ? AND seq <= ? ORDER BY seq',
      ),
      bytes: db.prepare<[string, string], { n: number }>(
        'SELECT coalesce(sum(length(data)), 0) AS n FROM updates WHERE studio_id = ? AND path = ?',
      ),
      count: db.prepare<[string, string], { n: number }>(
        'SELECT count(*) AS n FROM updates WHERE studio_id = ? AND path = ?',
      ),
      deleteRange: db.prepare(
        'DELETE FROM updates WHERE studio_id = ? AND path = ? AND seq > ? AND seq <= ?',
      ),
      base: db.prepare<[string, string], { base_seq: number; extra: Buffer | null; file_hash: string }>(
        'SELECT base_seq, extra, file_hash FROM doc_bases WHERE studio_id = ? AND path = ?',
      ),
      setBase: db.prepare(
        `INSERT INTO doc_bases (studio_id, path, base_seq, extra, file_hash) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (studio_id, path) DO UPDATE SET base_seq = excluded.base_seq, extra = excluded.extra,
         file_hash = excluded.file_hash`,
      ),
      dropUpdates: db.prepare(
        'DELETE FROM updates WHERE studio_id = ? AND (path = ? OR substr(path, 1, length(?)) = ?)',
      ),
      dropBases: db.prepare(
        'DELETE FROM doc_bases WHERE studio_id = ? AND (path = ? OR substr(path, 1, length(?)) = ?)',
      ),
      moveUpdates: db.prepare(
        `UPDATE updates SET path = ? || substr(path, length(?) + 1)
         WHERE studio_id = ? AND (path = ? OR substr(path, 1, length(?)) = ?)`,
      ),
      moveBases: db.prepare(
        `UPDATE doc_bases SET path = ? || substr(path, length(?) + 1)
         WHERE studio_id = ? AND (path = ? OR substr(path, 1, length(?)) = ?)`,
      ),
      dropStudioUpdates: db.prepare('DELETE FROM updates WHERE studio_id = ?'),
      dropStudioBases: db.prepare('DELETE FROM doc_bases WHERE studio_id = ?'),
    };
    this.#appendAll = db.transaction(
      (appends: readonly { studioId: string; path: string; update: Uint8Array }[]) =>
        appends.map(({ studioId, path, update }) => this.append(studioId, path, update)),
    );
  }

  /** Appends one update; returns its sequence number. */
  append(studioId: string, path: string, update: Uint8Array): number {
    return Number(this.#statements.append.run(studioId, path, update).lastInsertRowid);
  }

  /** Appends several updates (any docs) in one transaction; returns their sequence numbers in order. */
  appendMany(appends: readonly { studioId: string; path: string; update: Uint8Array }[]): number[] {
    return this.#appendAll(appends);
  }

  load(studioId: string, path: string): StoredDoc {
    const rows = this.#statements.load.all(studioId, path);
    return {
      updates: rows.map((row) => new Uint8Array(row.data)),
      lastSeq: rows[rows.length - 1]?.seq ?? 0,
      base: this.base(studioId, path),
    };
  }

  base(studioId: string, path: string): DocBase | null {
    const row = this.#statements.base.get(studioId, path);
    if (!row) return null;
    return {
      baseSeq: row.base_seq,
      extra: row.extra ? new Uint8Array(row.extra) : null,
      fileHash: row.file_hash,
    };
  }

  setBase(studioId: string, path: string, base: DocBase): void {
    this.#statements.setBase.run(studioId, path, base.baseSeq, base.extra, base.fileHash);
  }

  /** The doc state a base stands for, as one update. */
  baseState(studioId: string, path: string, base: DocBase): Uint8Array {
    const parts: Uint8Array[] = this.#statements.prefix
      .all(studioId, path, base.baseSeq)
      .map((row) => new Uint8Array(row.data));
    if (base.extra) parts.push(base.extra);
    return Y.mergeUpdates(parts);
  }

  count(studioId: string, path: string): number {
    return this.#statements.count.get(studioId, path)?.n ?? 0;
  }

  /**
   * Merges the rows up to the base into one row (at the base's seq) and the rows after it into
   * one row (at the last seq), in one transaction.
   */
  compact(studioId: string, path: string): void {
    const compactNow = this.#db.transaction(() => {
      const rows = this.#statements.load.all(studioId, path);
      const last = rows[rows.length - 1];
      if (!last || rows.length < 3) return;
      const baseSeq = Math.min(this.base(studioId, path)?.baseSeq ?? 0, last.seq);
      const before = rows.filter((row) => row.seq <= baseSeq);
      const after = rows.filter((row) => row.seq > baseSeq);
      this.#statements.deleteRange.run(studioId, path, 0, last.seq);
      if (before.length > 0) {
        this.#statements.insertAt.run(baseSeq, studioId, path, Y.mergeUpdates(before.map((row) => row.data)));
      }
      if (after.length > 0) {
        this.#statements.insertAt.run(last.seq, studioId, path, Y.mergeUpdates(after.map((row) => row.data)));
      }
    });
    compactNow();
  }

  /**
   * Replaces a doc's whole log with `state` (the live doc encoded: deleted content collected,
   * item ids kept, so connected and offline clients stay in sync) at seq `lastSeq`, and its base
   * with `base`, in one transaction. Superseded content (outputs of a plot re-run a thousand
   * times) is gone from the log afterwards, which a merge of the rows would keep.
   */
  compactToState(studioId: string, path: string, state: Uint8Array, lastSeq: number, base: DocBase): void {
    this.#db.transaction(() => {
      this.#statements.deleteRange.run(studioId, path, 0, lastSeq);
      this.#statements.insertAt.run(lastSeq, studioId, path, state);
      this.setBase(studioId, path, base);
    })();
  }

  /** Bytes of a doc's log rows (tests and diagnostics). */
  byteSize(studioId: string, path: string): number {
    return this.#statements.bytes.get(studioId, path)?.n ?? 0;
  }

  /** Renames a doc, or every doc under a folder, keeping their logs. */
  move(studioId: string, from: string, to: string): void {
    const folder = `${from}/`;
    this.#db.transaction(() => {
      // A stale log left at the destination (file deleted outside the files API) must not win.
      this.drop(studioId, to);
      this.#statements.moveUpdates.run(to, from, studioId, from, folder, folder);
      this.#statements.moveBases.run(to, from, studioId, from, folder, folder);
    })();
  }

  /** Forgets a doc, or every doc under a folder. */
  drop(studioId: string, path: string): void {
    const folder = `${path}/`;
    this.#db.transaction(() => {
      this.#statements.dropUpdates.run(studioId, path, folder, folder);
      this.#statements.dropBases.run(studioId, path, folder, folder);
    })();
  }

  dropStudio(studioId: string): void {
    this.#db.transaction(() => {
      this.#statements.dropStudioUpdates.run(studioId);
      this.#statements.dropStudioBases.run(studioId);
    })();
  }

  /** Runs `work` in one SQLite transaction (appends inside it commit together). */
  transaction<T>(work: () => T): T {
    return this.#db.transaction(work)();
  }

  close(): void {
    if (this.#db.open) this.#db.close();
  }

  /** Same as {@link close}, so the log can sit in a DisposableStore. */
  dispose(): void {
    this.close();
  }
}
