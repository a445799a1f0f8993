import type { SshKeyAlgorithm } from '@studios/protocol';
import type { Database } from './database';

/** A registered SSH public key. `fingerprint` (SHA-256 of the blob) is unique across accounts. */
export interface SshKeyRecord {
  id: string;
  userId: string;
  name: string;
  algorithm: SshKeyAlgorithm;
  bits: number;
  fingerprint: string;
  keyBlob: Buffer;
  comment: string;
  createdAt: string;
  lastUsedAt: string | null;
}

interface SshKeyRow {
  id: string;
  user_id: string;
  name: string;
  algorithm: SshKeyAlgorithm;
  bits: number;
  fingerprint: string;
  key_blob: Buffer;
  comment: string;
  created_at: string;
  last_used_at: string | null;
}

const toRecord = (row: SshKeyRow): SshKeyRecord => ({
  id: row.id,
  userId: row.user_id,
  name: row.name,
  algorithm: row.algorithm,
  bits: row.bits,
  fingerprint: row.fingerprint,
  keyBlob: row.key_blob,
  comment: row.comment,
  createdAt: row.created_at,
  lastUsedAt: row.last_used_at,
});

/** Storage of users' SSH public keys. */
export class SshKeysRepo {
  constructor(private readonly db: Database) {}

  insert(key: SshKeyRecord): void {
    this.db
      .prepare(
        `INSERT INTO ssh_keys (id, user_id, name, algorithm, bits, fingerprint, key_blob, comment, created_at, last_used_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        key.id,
        key.userId,
        key.name,
        key.algorithm,
        key.bits,
        key.fingerprint,
        key.keyBlob,
        key.comment,
        key.createdAt,
        key.lastUsedAt,
      );
  }

  /** The key with this fingerprint, whoever owns it. */
  byFingerprint(fingerprint: string): SshKeyRecord | undefined {
    const row = this.db.prepare('SELECT * FROM ssh_keys WHERE fingerprint = ?').get(fingerprint) as
      | SshKeyRow
      | undefined;
    return row && toRecord(row);
  }

  /** The user's keys, newest first. */
  listForUser(userId: string): SshKeyRecord[] {
    const rows = this.db
      .prepare('SELECT * FROM ssh_keys WHERE user_id = ? ORDER BY created_at DESC, id')
      .all(userId) as SshKeyRow[];
    return rows.map(toRecord);
  }

  markUsed(id: string, at: string): void {
    this.db.prepare('UPDATE ssh_keys SET last_used_at = ? WHERE id = ?').run(at, id);
  }

  /** Deletes the user's key; false when they have no key with this id. */
  delete(userId: string, id: string): boolean {
    return this.db.prepare('DELETE FROM ssh_keys WHERE id = ? AND user_id = ?').run(id, userId).changes > 0;
  }
}
