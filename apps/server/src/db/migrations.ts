import type { Database } from './database';

/**
 * The schema, as an ordered list of steps. Never edit a released step: append a new one.
 * `PRAGMA user_version` records how many steps a database has applied.
 */
export const MIGRATIONS: readonly string[] = [
  // 1: accounts, sessions, API tokens, Studios and their members.
  `
  CREATE TABLE users (
    id TEXT PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    is_admin INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
  );
  CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL
  );
  CREATE INDEX sessions_user ON sessions(user_id);
  CREATE TABLE api_tokens (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    prefix TEXT NOT NULL,
    hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    last_used_at TEXT,
    revoked_at TEXT
  );
  CREATE INDEX api_tokens_user ON api_tokens(user_id);
  CREATE TABLE studios (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    owner_id TEXT NOT NULL REFERENCES users(id),
    machine_type TEXT NOT NULL DEFAULT 'cpu-small',
    runtime_state TEXT NOT NULL DEFAULT 'stopped',
    runtime_message TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE TABLE studio_members (
    studio_id TEXT NOT NULL REFERENCES studios(id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (role IN ('owner', 'editor', 'viewer')),
    added_at TEXT NOT NULL,
    PRIMARY KEY (studio_id, user_id)
  );
  CREATE INDEX studio_members_user ON studio_members(user_id);
  `,
  // 2: kernels running in Studios, so a restarted server reattaches to them (or ends them).
  `
  CREATE TABLE notebook_kernels (
    studio_id TEXT NOT NULL REFERENCES studios(id) ON DELETE CASCADE,
    path TEXT NOT NULL,
    record TEXT NOT NULL,
    PRIMARY KEY (studio_id, path)
  );
  `,
  // 3: SSH public keys for the gateway. A key names one person: its blob is unique across accounts.
  `
  CREATE TABLE ssh_keys (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    algorithm TEXT NOT NULL,
    bits INTEGER NOT NULL,
    fingerprint TEXT NOT NULL UNIQUE,
    key_blob BLOB NOT NULL,
    comment TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_used_at TEXT
  );
  CREATE INDEX ssh_keys_user ON ssh_keys(user_id);
  `,
];

/** Applies every step the database has not seen yet, each in its own transaction. */
export function migrate(db: Database, migrations: readonly string[] = MIGRATIONS): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > migrations.length) {
    throw new Error(
      `The database is at schema version ${current}, newer than this server (${migrations.length}). ` +
        'Upgrade Studios instead of downgrading it.',
    );
  }
  for (let version = current; version < migrations.length; version++) {
    const step = migrations[version] as string;
    db.transaction(() => {
      db.exec(step);
      db.pragma(`user_version = ${version + 1}`);
    }).immediate();
  }
  return migrations.length;
}
