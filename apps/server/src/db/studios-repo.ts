import type { Role, StudioState } from '@studios/protocol';
import type { Database } from './database';

/** A Studio as stored. */
export interface StudioRecord {
  id: string;
  name: string;
  ownerId: string;
  machineType: string;
  runtimeState: StudioState;
  runtimeMessage: string | null;
  createdAt: string;
  updatedAt: string;
}

/** A Studio together with one user's role in it. */
export interface StudioWithRole extends StudioRecord {
  role: Role;
}

interface StudioRow {
  id: string;
  name: string;
  owner_id: string;
  machine_type: string;
  runtime_state: StudioState;
  runtime_message: string | null;
  created_at: string;
  updated_at: string;
}

const toRecord = (row: StudioRow): StudioRecord => ({
  id: row.id,
  name: row.name,
  ownerId: row.owner_id,
  machineType: row.machine_type,
  runtimeState: row.runtime_state,
  runtimeMessage: row.runtime_message,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

/** Storage of Studios. */
export class StudiosRepo {
  constructor(private readonly db: Database) {}

  insert(studio: StudioRecord): void {
    this.db
      .prepare(
        `INSERT INTO studios (id, name, owner_id, machine_type, runtime_state, runtime_message, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        studio.id,
        studio.name,
        studio.ownerId,
        studio.machineType,
        studio.runtimeState,
        studio.runtimeMessage,
        studio.createdAt,
        studio.updatedAt,
      );
  }

  byId(id: string): StudioRecord | undefined {
    const row = this.db.prepare('SELECT * FROM studios WHERE id = ?').get(id) as StudioRow | undefined;
    return row && toRecord(row);
  }

  /** Studios `userId` is a member of, newest first. */
  listForUser(userId: string): StudioWithRole[] {
    const rows = this.db
      .prepare(
        `SELECT s.*, m.role AS role FROM studios s JOIN studio_members m ON m.studio_id = s.id
         WHERE m.user_id = ? ORDER BY s.created_at DESC, s.id`,
      )
      .all(userId) as Array<StudioRow & { role: Role }>;
    return rows.map((row) => ({ ...toRecord(row), role: row.role }));
  }

  /** Every Studio id, for reconciling runtime state at startup. */
  allIds(): string[] {
    return (this.db.prepare('SELECT id FROM studios').all() as Array<{ id: string }>).map((row) => row.id);
  }

  rename(id: string, name: string, updatedAt: string): void {
    this.db.prepare('UPDATE studios SET name = ?, updated_at = ? WHERE id = ?').run(name, updatedAt, id);
  }

  setOwner(id: string, ownerId: string, updatedAt: string): void {
    this.db
      .prepare('UPDATE studios SET owner_id = ?, updated_at = ? WHERE id = ?')
      .run(ownerId, updatedAt, id);
  }

  setMachineType(id: string, machineType: string, updatedAt: string): void {
    this.db
      .prepare('UPDATE studios SET machine_type = ?, updated_at = ? WHERE id = ?')
      .run(machineType, updatedAt, id);
  }

  setRuntime(id: string, state: StudioState, message: string | null): void {
    this.db
      .prepare('UPDATE studios SET runtime_state = ?, runtime_message = ? WHERE id = ?')
      .run(state, message, id);
  }

  delete(id: string): boolean {
    return this.db.prepare('DELETE FROM studios WHERE id = ?').run(id).changes > 0;
  }
}
