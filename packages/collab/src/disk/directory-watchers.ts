import { type FSWatcher, watch } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { Disposable } from '@studios/base';

interface WatchedFolder {
  watcher: FSWatcher;
  /** File name → who wants to hear about it. */
  listeners: Map<string, Set<() => void>>;
}

/**
 * One `fs.watch` per folder, shared by every open document in it. A watcher per document
 * would make every event in a folder of N open files run N callbacks (and hold N inotify
 * watches on the same folder); here an event costs one map lookup by file name.
 */
export class DirectoryWatchers implements Disposable {
  readonly #folders = new Map<string, WatchedFolder>();

  /** Folders watched right now (tests). */
  get size(): number {
    return this.#folders.size;
  }

  /**
   * Calls `onChange` whenever the folder reports an event for `path`'s name. A folder that
   * cannot be watched (it does not exist yet) is not an error: callers keep a stat poll for that.
   */
  watch(path: string, onChange: () => void): Disposable {
    const folderPath = dirname(path);
    const name = basename(path);
    const folder = this.#folders.get(folderPath) ?? this.#open(folderPath);
    if (!folder) return { dispose: () => {} };
    let listeners = folder.listeners.get(name);
    if (!listeners) {
      listeners = new Set();
      folder.listeners.set(name, listeners);
    }
    // Each registration is its own entry, so two watches of one file unsubscribe independently.
    const listener = () => onChange();
    listeners.add(listener);
    const current = listeners;
    return {
      dispose: () => {
        current.delete(listener);
        if (current.size === 0 && folder.listeners.get(name) === current) folder.listeners.delete(name);
        if (folder.listeners.size === 0) this.#close(folderPath, folder);
      },
    };
  }

  #open(folderPath: string): WatchedFolder | undefined {
    let watcher: FSWatcher;
    try {
      watcher = watch(folderPath, { persistent: false });
    } catch {
      return undefined;
    }
    const folder: WatchedFolder = { watcher, listeners: new Map() };
    watcher.on('change', (_event, filename) => {
      const listeners = filename === null ? undefined : folder.listeners.get(filename.toString());
      if (listeners) for (const listener of listeners) listener();
    });
    // A folder that went away: forget it; the next watch of a file in it opens a fresh one.
    watcher.on('error', () => this.#close(folderPath, folder));
    this.#folders.set(folderPath, folder);
    return folder;
  }

  #close(folderPath: string, folder: WatchedFolder): void {
    folder.watcher.close();
    if (this.#folders.get(folderPath) === folder) this.#folders.delete(folderPath);
  }

  dispose(): void {
    for (const [folderPath, folder] of this.#folders) this.#close(folderPath, folder);
  }
}
