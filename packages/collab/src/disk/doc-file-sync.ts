import { lstat, rm, stat } from 'node:fs/promises';
import type { Clock, Disposable, Logger } from '@studios/base';
import type { DirectoryWatchers } from './directory-watchers';
import {
  EMPTY_HASH,
  type FileOwner,
  readTextFile,
  sha256,
  type TextFileRead,
  writeFileAtomic,
} from './file-io';

/** What the disk bridge needs from its room: the text, and how to merge a disk change into it. */
export interface DocFileHost {
  /** The doc text and the log seq it corresponds to, read together (synchronously). */
  snapshot(): { text: string; seq: number };
  /** Hash of the file content the doc was last in sync with. */
  baseHash(): string;
  /** The file changed on disk to `text`: three-way merge it into the doc. */
  mergeFromDisk(text: string, hash: string): void;
  /** The doc's text reached the file (or already matched it) at log seq `seq`. */
  synced(seq: number, hash: string): void;
  /** The file turned binary or too large underneath us: stop serving it live. */
  unsupported(reason: string): void;
  saved(savedAt: Date): void;
}

export interface DocFileSyncOptions {
  clock: Clock;
  log: Logger;
  writeDebounceMs: number;
  pollIntervalMs: number;
  maxBytes: number;
  /** Folder watchers shared with the other open documents. */
  watchers: DirectoryWatchers;
  fileOwner?: FileOwner;
}

interface DiskStamp {
  ino: number;
  mtimeMs: number;
  size: number;
}

/** A stamp of the file as it is now, with what a write needs to keep (mode, owner). */
interface DiskStat extends DiskStamp {
  mode: number;
  uid: number;
  gid: number;
}

/**
 * Keeps one live document and its file in step. Writes are throttled (the first edit schedules
 * a write `writeDebounceMs` later and later edits join it), so continuous typing costs a
 * bounded number of writes. Every disk access runs on one queue: a save first checks for an
 * external change and merges it, so a save never reverts someone else's write.
 */
export class DocFileSync implements Disposable {
  #path: string;
  readonly #host: DocFileHost;
  readonly #options: DocFileSyncOptions;
  #queue: Promise<void> = Promise.resolve();
  #dirty = false;
  #saveTimer: Disposable | undefined;
  #checkTimer: Disposable | undefined;
  #pollTimer: Disposable | undefined;
  #watcher: Disposable | undefined;
  /** What the file looked like when we last read or wrote it; null when it did not exist. */
  #stamp: DiskStamp | null = null;
  #lastWrittenIno: number | undefined;
  #stopped = false;

  constructor(path: string, host: DocFileHost, options: DocFileSyncOptions) {
    this.#path = path;
    this.#host = host;
    this.#options = options;
  }

  get path(): string {
    return this.#path;
  }

  /**
   * Starts watching. `loaded` is the file as the room read it at load time (null: missing);
   * a change after that read is then seen by the first check. Without it, the file is stat'ed.
   */
  async start(loaded?: DiskStamp | null): Promise<void> {
    this.#stamp = loaded !== undefined ? loaded : await this.#readStamp();
    this.#watch();
    this.#pollTimer = this.#options.clock.setInterval(
      () => this.#scheduleCheck(0),
      this.#options.pollIntervalMs,
    );
  }

  /** The doc changed: write it out at most `writeDebounceMs` from now. */
  markDirty(): void {
    this.#dirty = true;
    if (this.#saveTimer || this.#stopped) return;
    this.#saveTimer = this.#options.clock.setTimeout(() => {
      this.#saveTimer = undefined;
      void this.#enqueue(() => this.#save());
    }, this.#options.writeDebounceMs);
  }

  /** Writes pending changes now and waits for every queued disk operation. */
  flush(): Promise<void> {
    this.#saveTimer?.dispose();
    this.#saveTimer = undefined;
    return this.#enqueue(() => this.#save());
  }

  /** The file was renamed (through the files API): follow it. */
  relocate(path: string): Promise<void> {
    return this.#enqueue(async () => {
      const previous = this.#path;
      this.#path = path;
      this.#closeWatcher();
      // A save that was in flight during the rename may have recreated the old name: undo that.
      if (await this.#isOurFile(previous)) {
        await rm(previous, { force: true });
        this.#dirty = true;
      }
      this.#stamp = await this.#readStamp();
      if (!this.#stopped) this.#watch();
      if (this.#dirty) await this.#save();
    });
  }

  /** The file was deleted (through the files API): stop without writing, undo a racing save. */
  abandon(): Promise<void> {
    this.#stop();
    return this.#enqueue(async () => {
      if (await this.#isOurFile(this.#path)) await rm(this.#path, { force: true });
    });
  }

  /** Checks the file for an external change now (tests, and the watcher). */
  checkNow(): Promise<void> {
    return this.#enqueue(async () => {
      await this.#checkDisk();
    });
  }

  #enqueue(task: () => Promise<void>): Promise<void> {
    const next = this.#queue.then(task).catch((error: unknown) => {
      this.#options.log.error('document file sync failed', { path: this.#path, error: String(error) });
    });
    this.#queue = next;
    return next;
  }

  async #save(): Promise<void> {
    if (!this.#dirty || this.#stopped) return;
    const checked = await this.#checkDisk();
    if (!checked.settled) {
      this.#dirty = false;
      this.markDirty();
      return;
    }
    if (this.#stopped) return;
    this.#dirty = false;
    const { text, seq } = this.#host.snapshot();
    const hash = sha256(text);
    if (hash === this.#host.baseHash() && (this.#stamp !== null || hash === EMPTY_HASH)) {
      this.#host.synced(seq, hash);
      return;
    }
    const written = await writeFileAtomic(this.#path, text, {
      existing: checked.current,
      ...(this.#options.fileOwner ? { owner: this.#options.fileOwner } : {}),
    });
    this.#stamp = written;
    this.#lastWrittenIno = written.ino;
    this.#host.synced(seq, hash);
    this.#host.saved(new Date(this.#options.clock.now()));
  }

  /**
   * Merges an external change if there is one. Not settled while the file is being written by
   * someone; `current` is the file as this check found it (null: missing), for the next write.
   */
  async #checkDisk(): Promise<{ settled: boolean; current?: DiskStat | null }> {
    if (this.#stopped) return { settled: true };
    const stamp = await this.#readStamp();
    if (sameStamp(stamp, this.#stamp)) return { settled: true, current: stamp };
    if (stamp === null) {
      // Deleted underneath an open editor: keep the text; the next edit recreates the file.
      this.#stamp = null;
      return { settled: true, current: null };
    }
    const file: TextFileRead = await readTextFile(this.#path, this.#options.maxBytes);
    // Caught in the middle of someone's write (truncate, then write): look again shortly.
    if (!sameStamp(await this.#readStamp(), stamp)) {
      this.#scheduleCheck(50);
      return { settled: false };
    }
    this.#stamp = stamp;
    if (file.kind === 'missing') {
      this.#stamp = null;
      return { settled: true, current: null };
    }
    if (file.kind !== 'text') {
      this.#stop();
      this.#host.unsupported(file.kind === 'unsupported' ? file.reason : 'not a file');
      return { settled: true };
    }
    if (file.hash !== this.#host.baseHash()) this.#host.mergeFromDisk(file.text, file.hash);
    return { settled: true, current: stamp };
  }

  #watch(): void {
    // The folder may not exist yet (new file): then nothing is watched and the stat poll covers it.
    this.#watcher = this.#options.watchers.watch(this.#path, () => this.#scheduleCheck(50));
  }

  #scheduleCheck(delayMs: number): void {
    if (this.#checkTimer || this.#stopped) return;
    this.#checkTimer = this.#options.clock.setTimeout(() => {
      this.#checkTimer = undefined;
      void this.checkNow();
    }, delayMs);
  }

  async #readStamp(): Promise<DiskStat | null> {
    const info = await stat(this.#path).catch(() => null);
    return info
      ? {
          ino: info.ino,
          mtimeMs: info.mtimeMs,
          size: info.size,
          mode: info.mode,
          uid: info.uid,
          gid: info.gid,
        }
      : null;
  }

  async #isOurFile(path: string): Promise<boolean> {
    if (this.#lastWrittenIno === undefined) return false;
    const info = await lstat(path).catch(() => null);
    return info?.ino === this.#lastWrittenIno;
  }

  #closeWatcher(): void {
    this.#watcher?.dispose();
    this.#watcher = undefined;
  }

  #stop(): void {
    this.#stopped = true;
    this.#saveTimer?.dispose();
    this.#checkTimer?.dispose();
    this.#pollTimer?.dispose();
    this.#saveTimer = this.#checkTimer = this.#pollTimer = undefined;
    this.#closeWatcher();
  }

  /** Stops timers and the watcher. Call {@link flush} first to keep pending edits. */
  dispose(): void {
    this.#stop();
  }
}

function sameStamp(a: DiskStamp | null, b: DiskStamp | null): boolean {
  if (a === null || b === null) return a === b;
  return a.ino === b.ino && a.mtimeMs === b.mtimeMs && a.size === b.size;
}
