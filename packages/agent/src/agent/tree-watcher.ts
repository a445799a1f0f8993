import { type FSWatcher, type Stats, watch } from 'node:fs';
import { lstat, readdir, realpath } from 'node:fs/promises';
import { basename, join } from 'node:path';
import {
  type Clock,
  type Disposable,
  ListenerSet,
  type Logger,
  silentLogger,
  systemClock,
} from '@studios/base';
import type { AgentTreeChange, FileEntry } from '@studios/protocol';
import { TEMP_FILE_PATTERN } from './file-io';
import { Workspace } from './workspace';

/** One change of the file tree, as the `files` event carries it. */
export type FileTreeChange = AgentTreeChange;

export interface TreeWatcherOptions {
  clock?: Clock;
  /** Changes are collected for this long and reported together. Default 100 ms. */
  debounceMs?: number;
  log?: Logger;
}

/**
 * Reports changes of a workspace's tree in batches, whoever made them (files API, editor saves,
 * terminal, git). Watches each folder with its own non-recursive `fs.watch` (one inotify watch
 * per folder) instead of `{ recursive: true }`: on Linux, Node 20 emulates recursion in
 * JavaScript with a watcher per file and a synchronous readdir of the whole folder on every
 * event, which made each atomic save in a big folder cost O(folder size) on the main thread.
 * Whether a path was added, changed or removed is decided by looking at the disk when the
 * batch is flushed, so bursts of raw events for one path collapse into one change; a new
 * folder is watched and scanned then (its content may predate its watcher).
 */
export class TreeWatcher implements Disposable {
  readonly #root: string;
  readonly #clock: Clock;
  readonly #debounceMs: number;
  readonly #log: Logger;
  readonly #known = new Set<string>();
  readonly #pending = new Set<string>();
  readonly #listeners = new ListenerSet<FileTreeChange[]>();
  /** Watched folders by workspace-relative path ('' is the root). */
  readonly #folders = new Map<string, FSWatcher>();
  #timer: Disposable | undefined;
  #flushing: Promise<void> = Promise.resolve();
  #disposed = false;

  private constructor(root: string, options: TreeWatcherOptions) {
    this.#root = root;
    this.#clock = options.clock ?? systemClock;
    this.#debounceMs = options.debounceMs ?? 100;
    this.#log = options.log ?? silentLogger;
  }

  /** Starts watching; resolves once the current tree is known (so the first change is classified right). */
  static async start(root: string, options: TreeWatcherOptions = {}): Promise<TreeWatcher> {
    const realRoot = await realpath(root);
    const watcher = new TreeWatcher(realRoot, options);
    if (!watcher.#watchFolder('')) throw new Error(`cannot watch ${realRoot}`);
    const { entries } = await new Workspace(realRoot).list();
    for (const entry of entries) {
      watcher.#known.add(entry.path);
      if (entry.kind === 'directory') watcher.#watchFolder(entry.path);
    }
    return watcher;
  }

  onChanges(listener: (changes: FileTreeChange[]) => void): Disposable {
    return this.#listeners.add(listener);
  }

  /** Folders watched right now (tests). */
  get watchedFolders(): number {
    return this.#folders.size;
  }

  #watchFolder(folder: string): boolean {
    if (this.#disposed || this.#folders.has(folder)) return true;
    try {
      const watcher = watch(join(this.#root, folder), { persistent: false }, (_event, filename) => {
        if (filename) this.#queue(folder ? `${folder}/${filename.toString()}` : filename.toString());
      });
      // A watched folder that disappears errors on some platforms; its parent reports the removal.
      watcher.on('error', (error) => {
        this.#log.warn('workspace watcher failed', { folder, error: String(error) });
        this.#unwatch(folder);
      });
      this.#folders.set(folder, watcher);
      return true;
    } catch {
      return false;
    }
  }

  #unwatch(folder: string): void {
    this.#folders.get(folder)?.close();
    this.#folders.delete(folder);
  }

  #queue(path: string): void {
    if (this.#disposed || TEMP_FILE_PATTERN.test(basename(path))) return;
    this.#pending.add(path);
    this.#timer ??= this.#clock.setTimeout(() => {
      this.#timer = undefined;
      this.#flushing = this.#flushing.then(() => this.#flush());
    }, this.#debounceMs);
  }

  async #flush(): Promise<void> {
    const paths = [...this.#pending].sort();
    this.#pending.clear();
    const changes: FileTreeChange[] = [];
    const reported = new Set<string>();
    for (const path of paths) {
      if (reported.has(path)) continue;
      const info = await lstat(join(this.#root, path)).catch(() => null);
      if (!info) {
        if (!this.#known.has(path)) continue;
        this.#forget(path);
        changes.push({ kind: 'removed', path });
        continue;
      }
      const entry = toEntry(path, info);
      changes.push({ kind: this.#known.has(path) ? 'changed' : 'added', path, entry });
      reported.add(path);
      this.#known.add(path);
      if (entry.kind === 'directory' && !this.#folders.has(path) && this.#watchFolder(path)) {
        await this.#scan(path, changes, reported);
      }
    }
    if (changes.length === 0 || this.#disposed) return;
    this.#listeners.emit(changes);
  }

  /** A folder we just started watching: whatever is already in it was never reported. */
  async #scan(folder: string, changes: FileTreeChange[], reported: Set<string>): Promise<void> {
    const dirents = await readdir(join(this.#root, folder), { withFileTypes: true }).catch(() => []);
    for (const dirent of dirents) {
      if (TEMP_FILE_PATTERN.test(dirent.name)) continue;
      const path = `${folder}/${dirent.name}`;
      const info = await lstat(join(this.#root, path)).catch(() => null);
      if (!info || reported.has(path)) continue;
      const entry = toEntry(path, info);
      changes.push({ kind: this.#known.has(path) ? 'changed' : 'added', path, entry });
      reported.add(path);
      this.#known.add(path);
      if (entry.kind === 'directory' && this.#watchFolder(path)) await this.#scan(path, changes, reported);
    }
  }

  /** A removed folder takes its subtree (and its watchers) with it; the client drops the subtree on its own. */
  #forget(path: string): void {
    this.#known.delete(path);
    this.#unwatch(path);
    const prefix = `${path}/`;
    for (const known of this.#known) if (known.startsWith(prefix)) this.#known.delete(known);
    for (const folder of [...this.#folders.keys()]) if (folder.startsWith(prefix)) this.#unwatch(folder);
  }

  dispose(): void {
    this.#disposed = true;
    this.#timer?.dispose();
    for (const watcher of this.#folders.values()) watcher.close();
    this.#folders.clear();
    this.#listeners.clear();
  }
}

function toEntry(path: string, info: Stats): FileEntry {
  const kind = info.isSymbolicLink() ? 'symlink' : info.isDirectory() ? 'directory' : 'file';
  return { path, name: basename(path), kind, size: info.size, mtimeMs: info.mtimeMs };
}
