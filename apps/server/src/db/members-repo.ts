import type { Role } from '@studios/protocol';
import type { Database } from './database';

/** A membership joined with the member's account details. */
export interface MemberRecord {
  studioId: string;
  userId: string;
  email: string;
  name: string;
  role: Role;
  addedAt: string;
}

interface MemberRow {
  studio_id: string;
  user_id: string;
  email: string;
  name: string;
  role: Role;
  added_at: string;
}

const toRecord = (row: MemberRow): MemberRecord => ({
  studioId: row.studio_id,
  userId: row.user_id,
  email: row.email,
  name: row.name,
  role: row.role,
  addedAt: row.added_at,
});

const SELECT_MEMBER = `SELECT m.studio_id, m.user_id, u.email, u.name, m.role, m.added_at
  FROM studio_members m JOIN users u ON u.id = m.user_id`;

/** Storage of Studio memberships. */
export class MembersRepo {
  constructor(private readonly db: Database) {}

  insert(studioId: string, userId: string, role: Role, addedAt: string): void {
    this.db
      .prepare('INSERT INTO studio_members (studio_id, user_id, role, added_at) VALUES (?, ?, ?, ?)')
      .run(studioId, userId, role, addedAt);
  }

  roleOf(studioId: string, userId: string): Role | undefined {
    const row = this.db
      .prepare('SELECT role FROM studio_members WHERE studio_id = ? AND user_id = ?')
      .get(studioId, userId) as { role: Role } | undefined;
    return row?.role;
  }

  get(studioId: string, userId: string): MemberRecord | undefined {
    const row = this.db
      .prepare(`${SELECT_MEMBER} WHERE m.studio_id = ? AND m.user_id = ?`)
      .get(studioId, userId) as MemberRow | undefined;
    return row && toRecord(row);
  }

  /** Members in the order they were added. */
  list(studioId: string): MemberRecord[] {
    const rows = this.db
      .prepare(`${SELECT_MEMBER} WHERE m.studio_id = ? ORDER BY m.added_at, u.email`)
      .all(studioId) as MemberRow[];
    return rows.map(toRecord);
  }

  /** Owners in the order they were added; the first one becomes `owner_id` when needed. */
  owners(studioId: string): string[] {
    return (
      this.db
        .prepare(
          "SELECT user_id FROM studio_members WHERE studio_id = ? AND role = 'owner' ORDER BY added_at, user_id",
        )
        .all(studioId) as Array<{ user_id: string }>
    ).map((row) => row.user_id);
  }

  setRole(studioId: string, userId: string, role: Role): void {
    this.db
      .prepare('UPDATE studio_members SET role = ? WHERE studio_id = ? AND user_id = ?')
      .run(role, studioId, userId);
  }

  delete(studioId: string, userId: string): void {
    this.db.prepare('DELETE FROM studio_members WHERE studio_id = ? AND user_id = ?').run(studioId, userId);
  }

  /** Studio ids the user belongs to (for notifying watchers when the user is deleted). */
  studiosOf(userId: string): string[] {
    return (
      this.db.prepare('SELECT studio_id FROM studio_members WHERE user_id = ?').all(userId) as Array<{
        studio_id: string;
      }>
    ).map((row) => row.studio_id);
  }
}
