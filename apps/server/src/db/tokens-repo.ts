import type { Database } from './database';

/** An API token; only its sha256 `hash` and a recognisable `prefix` are stored. */
export interface TokenRecord {
  id: string;
  userId: string;
  name: string;
  prefix: string;
  hash: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

interface TokenRow {
  id: string;
  user_id: string;
  name: string;
  prefix: string;
  hash: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

const toRecord = (row: TokenRow): TokenRecord => ({
  id: row.id,
  userId: row.user_id,
  name: row.name,
  prefix: row.prefix,
  hash: row.hash,
  createdAt: row.created_at,
  lastUsedAt: row.last_used_at,
  revokedAt: row.revoked_at,
});

/** Storage of API tokens. */
export class TokensRepo {
  constructor(private readonly db: Database) {}

  insert(token: TokenRecord): void {
    this.db
      .prepare(
        `INSERT INTO api_tokens (id, user_id, name, prefix, hash, created_at, last_used_at, revoked_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        token.id,
        token.userId,
        token.name,
        token.prefix,
        token.hash,
        token.createdAt,
        token.lastUsedAt,
        token.revokedAt,
      );
  }

  /** A token that has not been revoked, by the hash of its secret. */
  activeByHash(hash: string): TokenRecord | undefined {
    const row = this.db.prepare('SELECT * FROM api_tokens WHERE hash = ? AND revoked_at IS NULL').get(hash) as
      | TokenRow
      | undefined;
    return row && toRecord(row);
  }

  /** The user's tokens that have not been revoked, newest first. */
  listActive(userId: string): TokenRecord[] {
    const rows = this.db
      .prepare(
        'SELECT * FROM api_tokens WHERE user_id = ? AND revoked_at IS NULL ORDER BY created_at DESC, id',
      )
      .all(userId) as TokenRow[];
    return rows.map(toRecord);
  }

  markUsed(id: string, at: string): void {
    this.db.prepare('UPDATE api_tokens SET last_used_at = ? WHERE id = ?').run(at, id);
  }

  /** Revokes one of `userId`'s tokens; false when there is no such active token. */
  revoke(id: string, userId: string, at: string): boolean {
    return (
      this.db
        .prepare('UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND user_id = ? AND revoked_at IS NULL')
        .run(at, id, userId).changes > 0
    );
  }
}
