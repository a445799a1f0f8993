import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { SecurityFixture } from './security-fixture';

/** Columns that say what the server stores; bookkeeping that reads touch (last seen) is left out. */
const TABLES: Record<string, string> = {
  users: 'id, email, name, password_hash, is_admin',
  sessions: 'id, user_id',
  api_tokens: 'id, user_id, name, revoked_at',
  studios: 'id, name, owner_id, machine_type, runtime_state',
  studio_members: 'studio_id, user_id, role',
};

/** SQLite files change on their own (WAL checkpoints, collab update log); their rows are compared instead. */
const isDatabaseFile = (name: string) => /\.db(-wal|-shm|-journal)?$/.test(name);

/**
 * The agents' own folders: Node and the agent bundle (no request changes them), and the
 * Studios' agent sockets (not files one could read). Everything else in the data folder counts.
 */
const AGENT_FOLDERS = new Set(['agent-runtime', 'agents']);

/** Every file under `root` (not following symlinks) with a hash of its bytes or its link target. */
export function fileTree(root: string): string[] {
  const lines: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      const rel = relative(root, full);
      if (dir === root && AGENT_FOLDERS.has(entry.name)) continue;
      if (entry.isSocket()) continue;
      if (entry.isSymbolicLink()) lines.push(`${rel} -> ${readlinkSync(full)}`);
      else if (entry.isDirectory()) {
        lines.push(`${rel}/`);
        walk(full);
      } else if (!isDatabaseFile(entry.name)) {
        lines.push(`${rel} ${createHash('sha256').update(readFileSync(full)).digest('hex').slice(0, 16)}`);
      }
    }
  };
  walk(root);
  return lines.sort();
}

/**
 * Everything a request could change: database rows, every file in the data folder (all
 * workspaces and the canaries outside them), terminals and processes. Equal before and after a
 * refused request means the refusal changed nothing.
 */
export async function stateFingerprint(f: SecurityFixture): Promise<string> {
  const db = f.t.server.db;
  const rows = Object.entries(TABLES).map(
    ([table, columns]) => [table, db.prepare(`SELECT ${columns} FROM ${table} ORDER BY 1, 2`).all()] as const,
  );
  const terminals = [f.studio.id, f.otherStudio.id].map((id) =>
    f.terminals.service.list(id).map((terminal) => `${terminal.id} ${terminal.name}`),
  );
  return JSON.stringify(
    {
      rows,
      files: fileTree(f.t.dataDir),
      terminals,
      terminalStats: f.terminals.service.stats(),
      processes: await f.processCount(),
    },
    null,
    1,
  );
}
