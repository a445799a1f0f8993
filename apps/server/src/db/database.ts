import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { migrate } from './migrations';

/** The SQLite handle every repository takes. */
export type Database = BetterSqlite3.Database;

/**
 * Opens (creating if needed) `<dataDir>/studios.db` and brings its schema up to date.
 * WAL lets readers proceed during a write; the busy timeout covers a second process briefly
 * holding the write lock (e.g. a backup).
 */
export function openDatabase(dataDir: string): Database {
  mkdirSync(dataDir, { recursive: true });
  const db = new BetterSqlite3(join(dataDir, 'studios.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  db.pragma('synchronous = NORMAL');
  migrate(db);
  cacheStatements(db);
  return db;
}

/**
 * Makes `db.prepare` return one statement per SQL text. Repositories prepare where they query
 * (readable), and compiling the same SQL on every request was a measurable share of a request's
 * CPU. The SQL texts are constants, so the cache stays small. A cached statement is shared:
 * never switch its mode (`pluck`, `raw`, `expand`).
 */
function cacheStatements(db: Database): void {
  const prepare = db.prepare.bind(db);
  const statements = new Map<string, ReturnType<typeof prepare>>();
  db.prepare = ((source: string) => {
    let statement = statements.get(source);
    if (!statement) {
      statement = prepare(source);
      statements.set(source, statement);
    }
    return statement;
  }) as typeof db.prepare;
}
