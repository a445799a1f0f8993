import { type KernelRecord, KernelRecordJson, type KernelRecordStore } from '@studios/kernels';
import type { Database } from '../../db/database';

/**
 * Kernel records in the server's database, one row per notebook: what a restarted server needs
 * to reach a kernel again (its process and connection file). The record is stored as JSON: the
 * kernels package owns its shape, and a row that no longer parses is treated as gone.
 */
export class SqliteKernelRecords implements KernelRecordStore {
  constructor(private readonly db: Database) {}

  async list(): Promise<KernelRecord[]> {
    const rows = this.db.prepare('SELECT record FROM notebook_kernels').all() as Array<{ record: string }>;
    const records: KernelRecord[] = [];
    for (const row of rows) {
      // A damaged row is as good as gone: reattach cannot use it, and the kernel it named is
      // ended with its Studio.
      try {
        const parsed = KernelRecordJson.safeParse(JSON.parse(row.record));
        if (parsed.success) records.push(parsed.data as KernelRecord);
      } catch {}
    }
    return records;
  }

  async put(record: KernelRecord): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO notebook_kernels (studio_id, path, record) VALUES (?, ?, ?)
         ON CONFLICT (studio_id, path) DO UPDATE SET record = excluded.record`,
      )
      .run(record.studioId, record.path, JSON.stringify(record));
  }

  async delete(studioId: string, path: string): Promise<void> {
    this.db.prepare('DELETE FROM notebook_kernels WHERE studio_id = ? AND path = ?').run(studioId, path);
  }
}
