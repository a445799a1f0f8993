import type { FileEntry } from '@studios/protocol';
import { isWithin, parentPath } from '../../shared/workspace-path';

/** A change from a `files` event on the Studio events socket. */
export interface FileChange {
  kind: 'added' | 'changed' | 'removed';
  path: string;
  entry?: FileEntry;
}

/** One visible line of the explorer, in display order. */
export interface TreeRow {
  entry: FileEntry;
  depth: number;
  expanded: boolean;
  hasChildren: boolean;
}

/** Checks a single file or folder name typed by the user; returns the problem or null. */
export function validateFileName(name: string, siblings: ReadonlySet<string>): string | null {
  if (!name.trim()) return 'Enter a name';
  if (name === '.' || name === '..') return 'That name is reserved';
  if (/[/\\\0]/.test(name)) return 'A name cannot contain / or \\';
  if (name.length > 255) return 'Use at most 255 characters';
  if (siblings.has(name)) return `“${name}” already exists here`;
  return null;
}

/**
 * Applies live changes to the flat, sorted entry list. Removing a directory removes its
 * contents; entries without an `entry` payload (a bare "removed") only need the path.
 */
export function applyFileChanges(entries: readonly FileEntry[], changes: readonly FileChange[]): FileEntry[] {
  const byPath = new Map(entries.map((entry) => [entry.path, entry]));
  for (const change of changes) {
    if (change.kind === 'removed') {
      for (const path of [...byPath.keys()]) if (isWithin(path, change.path)) byPath.delete(path);
    } else if (change.entry) {
      byPath.set(change.path, change.entry);
    }
  }
  return sortEntries([...byPath.values()]);
}

/** Directories first, then case-insensitive by name, within each parent (depth-first order). */
export function sortEntries(entries: FileEntry[]): FileEntry[] {
  const children = childrenByParent(entries);
  const ordered: FileEntry[] = [];
  const visit = (directory: string) => {
    for (const entry of children.get(directory) ?? []) {
      ordered.push(entry);
      if (entry.kind === 'directory') visit(entry.path);
    }
  };
  visit('');
  return ordered;
}

function compareEntries(a: FileEntry, b: FileEntry): number {
  if ((a.kind === 'directory') !== (b.kind === 'directory')) return a.kind === 'directory' ? -1 : 1;
  return a.name.localeCompare(b.name, undefined, { sensitivity: 'base', numeric: true });
}

/** Children of each directory path ('' is the workspace root), sorted for display. */
export function childrenByParent(entries: readonly FileEntry[]): Map<string, FileEntry[]> {
  const map = new Map<string, FileEntry[]>();
  for (const entry of entries) {
    const parent = parentPath(entry.path);
    const list = map.get(parent);
    if (list) list.push(entry);
    else map.set(parent, [entry]);
  }
  for (const list of map.values()) list.sort(compareEntries);
  return map;
}

/** The rows the explorer shows given which directories are expanded. */
export function visibleRows(entries: readonly FileEntry[], expanded: ReadonlySet<string>): TreeRow[] {
  const children = childrenByParent(entries);
  const rows: TreeRow[] = [];
  const visit = (directory: string, depth: number) => {
    for (const entry of children.get(directory) ?? []) {
      const isDirectory = entry.kind === 'directory';
      const open = isDirectory && expanded.has(entry.path);
      rows.push({
        entry,
        depth,
        expanded: open,
        hasChildren: isDirectory && (children.get(entry.path)?.length ?? 0) > 0,
      });
      if (open) visit(entry.path, depth + 1);
    }
  };
  visit('', 0);
  return rows;
}
