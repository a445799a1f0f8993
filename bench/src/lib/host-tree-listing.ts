import { lstat, readdir } from 'node:fs/promises';
import { basename, join } from 'node:path';

/** The agent's temp-file names (packages/agent/src/agent/file-io.ts `TEMP_FILE_PATTERN`). */
const ATOMIC_WRITE_TEMP_FILE = /^\..+\.studios-[0-9a-f]{12}\.tmp$/;

/** One entry of a listing, in the shape the files API returns (`FileEntry`). */
export interface HostTreeEntry {
  path: string;
  name: string;
  kind: 'file' | 'directory' | 'symlink';
  size: number;
  mtimeMs: number;
}

/**
 * The floor for S11's tree listing: what the server did in-process before the agent existed
 * (the old `Workspace.list` of packages/collab): breadth first, one `readdir(withFileTypes)` per
 * folder and one `lstat` per entry, awaited one at a time, then sorted folders-first per level.
 * Kept step for step like the agent's `Workspace.list` (temp files of atomic writes skipped
 * too), so the ratio measures the agent and its protocol, not a cleverer listing.
 */
export async function listTreeOnHost(
  root: string,
  max: number,
): Promise<{ entries: HostTreeEntry[]; truncated: boolean }> {
  const found: HostTreeEntry[] = [];
  let truncated = false;
  const queue = [''];
  while (queue.length > 0 && !truncated) {
    const folder = queue.shift() as string;
    const dirents = await readdir(join(root, folder), { withFileTypes: true }).catch(() => []);
    for (const dirent of dirents) {
      if (ATOMIC_WRITE_TEMP_FILE.test(dirent.name)) continue;
      if (found.length >= max) {
        truncated = true;
        break;
      }
      const rel = folder ? `${folder}/${dirent.name}` : dirent.name;
      const info = await lstat(join(root, rel)).catch(() => null);
      if (!info) continue;
      const kind = info.isSymbolicLink() ? 'symlink' : info.isDirectory() ? 'directory' : 'file';
      found.push({ path: rel, name: basename(rel), kind, size: info.size, mtimeMs: info.mtimeMs });
      if (kind === 'directory') queue.push(rel);
    }
  }
  return { entries: sortAsTree(found), truncated };
}

/** Folders before files at every level, each level by name; parents before their children. */
export function sortAsTree<Entry extends Pick<HostTreeEntry, 'path' | 'name' | 'kind'>>(
  entries: readonly Entry[],
): Entry[] {
  const children = new Map<string, Entry[]>();
  for (const entry of entries) {
    const slash = entry.path.lastIndexOf('/');
    const parent = slash === -1 ? '' : entry.path.slice(0, slash);
    const siblings = children.get(parent) ?? [];
    siblings.push(entry);
    children.set(parent, siblings);
  }
  const sorted: Entry[] = [];
  const visit = (folder: string) => {
    const siblings = (children.get(folder) ?? []).sort((a, b) => {
      const byKind = (a.kind === 'directory' ? 0 : 1) - (b.kind === 'directory' ? 0 : 1);
      return byKind || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
    });
    for (const entry of siblings) {
      sorted.push(entry);
      if (entry.kind === 'directory') visit(entry.path);
    }
  };
  visit('');
  return sorted;
}
