import { type FSWatcher, watch } from 'node:fs';
import { lstat, realpath } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { FileEntry } from '@studios/protocol';
import { type Clock, systemClock, type TimerHandle } from '../clock';
import { TEMP_FILE_PATTERN } from '../disk/file-io';
import { type Logger, silentLogger } from '../logger';
import { Workspace } from './workspace';

/** One change of the file tree, as the `files` event carries it. */
export interface FileTreeChange {
  kind: 'added' | 'changed' | 'removed';
  path: string;
  entry?: FileEntry;
}

export interface WorkspaceWatcherOptions {
  clock?: Clock;
  /** Changes are collected for this long and reported together. Default 100 ms. */
  debounceMs?: number;
  log?: Logger;
}

/**
 * Reports changes of a workspace's tree in batches, whoever made them (files API, editor saves,
 * terminal, git). Uses `fs.watch(root, { recursive: true })` (inotify per folder on Linux since
 * Node 20) and decides added/changed/removed by looking at the disk when the batch is flushed,
 * so bursts of raw events for one path collapse into one change.
 */
export class WorkspaceWatcher implements Disposable {
  readonly #root: string;
  readonly #clock: Clock;
  readonly #debounceMs: number;
  readonly #log: Logger;
  readonly #known = new Set<string>();
  readonly #pending = new Set<string>();
  readonly #listeners = new Set<(changes: FileTreeChange[]) => void>();
  #watcher: FSWatcher | undefined;
  #timer: TimerHandle | undefined;
  #flushing: Promise<void> = Promise.resolve();
  #disposed = false;

  private constructor(root: string, options: WorkspaceWatcherOptions) {
    this.#root = root;
    this.#clock = options.clock ?? systemClock;
    this.#debounceMs = options.debounceMs ?? 100;
    this.#log = options.log ?? silentLogger;
  }

  /** Starts watching; resolves once the current tree is known (so the first change is classified right). */
  static async start(root: string, options: WorkspaceWatcherOptions = {}): Promise<WorkspaceWatcher> {
    const realRoot = await realpath(root);
    const watcher = new WorkspaceWatcher(realRoot, options);
    watcher.#watcher = watch(realRoot, { recursive: true }, (_event, filename) => {
      if (filename) watcher.#queue(filename.toString());
    });
    watcher.#watcher.on('error', (error) =>
      watcher.#log.warn('workspace watcher failed', { error: String(error) }),
    );
    const { entries } = await new Workspace(realRoot).list();
    for (const entry of entries) watcher.#known.add(entry.path);
    return watcher;
  }

  onChanges(listener: (changes: FileTreeChange[]) => void): Disposable {
    this.#listeners.add(listener);
    return { [Symbol.dispose]: () => this.#listeners.delete(listener) };
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
    for (const path of paths) {
      const info = await lstat(join(this.#root, path)).catch(() => null);
      if (!info) {
        if (!this.#known.has(path)) continue;
        this.#forget(path);
        changes.push({ kind: 'removed', path });
        continue;
      }
      const kind = info.isSymbolicLink() ? 'symlink' : info.isDirectory() ? 'directory' : 'file';
      const entry: FileEntry = { path, name: basename(path), kind, size: info.size, mtimeMs: info.mtimeMs };
      changes.push({ kind: this.#known.has(path) ? 'changed' : 'added', path, entry });
      this.#known.add(path);
    }
    if (changes.length === 0 || this.#disposed) return;
    for (const listener of this.#listeners) listener(changes);
  }

  /** A removed folder takes its subtree with it; the client drops the subtree on its own. */
  #forget(path: string): void {
    this.#known.delete(path);
    const prefix = `${path}/`;
    for (const known of this.#known) if (known.startsWith(prefix)) this.#known.delete(known);
  }

  [Symbol.dispose](): void {
    this.#disposed = true;
    if (this.#timer) this.#clock.clearTimeout(this.#timer);
    this.#watcher?.close();
    this.#listeners.clear();
  }
}
