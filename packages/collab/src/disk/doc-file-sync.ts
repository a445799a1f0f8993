import type { Clock, Disposable, Logger } from '@studios/base';
import { UnsupportedContentError } from '../document/document-codec';
import { type DocumentFiles, EMPTY_HASH, type FileStamp } from './document-files';

/** What the disk bridge needs from its room: the text, and how to merge a disk change into it. */
export interface DocFileHost {
  /**
   * The file text the doc stands for, its sha256 and the log seq it corresponds to, read
   * together (synchronously); `unchanged` when the doc still matches what the file was synced to.
   */
  snapshot(): { text: string; hash: string; seq: number; unchanged: boolean };
  /** Hash of the file content the doc was last in sync with. */
  baseHash(): string;
  /**
   * The file changed on disk to `text`: three-way merge it into the doc. Throws
   * {@link UnsupportedContentError} when the content cannot be merged (the doc is left as it is).
   */
  mergeFromDisk(text: string, hash: string): void;
  /** The doc reached the file (or already matched it) at log seq `seq`; `fileHash` is the file's. */
  synced(seq: number, fileHash: string): void;
  /** The file turned binary or too large underneath us: stop serving it live. */
  unsupported(reason: string): void;
  saved(savedAt: Date): void;
}

export interface DocFileSyncOptions {
  /** The Studio's files (its agent). */
  files: DocumentFiles;
  clock: Clock;
  log: Logger;
  writeDebounceMs: number;
  pollIntervalMs: number;
  maxBytes: number;
}

/** After a failed save (the agent restarting, the Studio stopping), the next try comes this much later. */
const RETRY_MS = [500, 1_000, 2_000, 5_000];

/**
 * Keeps one live document and its file in step, through the Studio's agent. Writes are
 * throttled (the first edit schedules a write `writeDebounceMs` later and later edits join it),
 * so continuous typing costs a bounded number of writes. Every file access runs on one queue: a
 * save first checks for an external change and merges it, so a save never reverts someone
 * else's write. A save that fails is tried again (the text is safe in the update log meanwhile).
 * External changes are noticed when the agent reports the path changed ({@link checkSoon}) and
 * by a slow stat poll.
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
  /** What the file looked like when we last read or wrote it; null when it did not exist. */
  #stamp: FileStamp | null = null;
  #lastWrittenIno: number | undefined;
  #failedSaves = 0;
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
   * Starts the poll. `loaded` is the file as the room read it at load time (null: missing); a
   * change after that read is then seen by the first check. Without it, the file is stat'ed.
   */
  async start(loaded?: FileStamp | null): Promise<void> {
    this.#stamp = loaded !== undefined ? loaded : await this.#options.files.documentStamp(this.#path);
    this.#pollTimer = this.#options.clock.setInterval(
      () => this.#scheduleCheck(0),
      this.#options.pollIntervalMs,
    );
  }

  /** The doc changed: write it out at most `writeDebounceMs` from now. */
  markDirty(): void {
    this.#dirty = true;
    this.#scheduleSave(this.#options.writeDebounceMs);
  }

  /** Writes pending changes now and waits for every queued file operation. */
  flush(): Promise<void> {
    this.#saveTimer?.dispose();
    this.#saveTimer = undefined;
    return this.#enqueue(() => this.#save());
  }

  /** The agent saw this path change (terminal, git, SSH, another program): look soon. */
  checkSoon(): void {
    this.#scheduleCheck(50);
  }

  /** The file was renamed (through the files API): follow it. */
  relocate(path: string): Promise<void> {
    return this.#enqueue(async () => {
      const previous = this.#path;
      this.#path = path;
      // A save that was in flight during the rename may have recreated the old name: undo that.
      if (
        this.#lastWrittenIno !== undefined &&
        (await this.#options.files.removeIfSame(previous, this.#lastWrittenIno))
      ) {
        this.#dirty = true;
      }
      this.#stamp = await this.#options.files.documentStamp(path);
      if (this.#dirty) await this.#save();
    });
  }

  /** The file was deleted (through the files API): stop without writing, undo a racing save. */
  abandon(): Promise<void> {
    this.#stop();
    return this.#enqueue(async () => {
      if (this.#lastWrittenIno !== undefined)
        await this.#options.files.removeIfSame(this.#path, this.#lastWrittenIno);
    });
  }

  /** Checks the file for an external change now (tests, and the poll). */
  checkNow(): Promise<void> {
    return this.#enqueue(async () => {
      await this.#checkDisk();
    });
  }

  #enqueue(task: () => Promise<void>): Promise<void> {
    const next = this.#queue.then(task).catch((error: unknown) => {
      this.#options.log.warn('document file sync failed', { path: this.#path, error: String(error) });
    });
    this.#queue = next;
    return next;
  }

  #scheduleSave(delayMs: number): void {
    if (this.#saveTimer || this.#stopped) return;
    this.#saveTimer = this.#options.clock.setTimeout(() => {
      this.#saveTimer = undefined;
      void this.#enqueue(() => this.#save());
    }, delayMs);
  }

  async #save(): Promise<void> {
    if (!this.#dirty || this.#stopped) return;
    this.#dirty = false;
    try {
      await this.#write();
      this.#failedSaves = 0;
    } catch (error) {
      // Not on disk yet: keep it dirty and try again, later each time.
      this.#dirty = true;
      const delay = RETRY_MS[Math.min(this.#failedSaves, RETRY_MS.length - 1)] ?? 5_000;
      this.#failedSaves += 1;
      this.#scheduleSave(delay);
      throw error;
    }
  }

  async #write(): Promise<void> {
    const checked = await this.#checkDisk();
    if (!checked.settled) {
      this.#dirty = true;
      this.#scheduleSave(this.#options.writeDebounceMs);
      return;
    }
    if (this.#stopped) return;
    const { text, hash, seq, unchanged } = this.#host.snapshot();
    const baseHash = this.#host.baseHash();
    // A missing file is recreated unless the doc stands for nothing (an empty file).
    if (unchanged && (this.#stamp !== null || baseHash === EMPTY_HASH)) {
      this.#host.synced(seq, baseHash);
      return;
    }
    const written = await this.#options.files.writeDocument(this.#path, text, checked.current);
    this.#stamp = written;
    this.#lastWrittenIno = written.ino;
    this.#host.synced(seq, hash);
    this.#host.saved(new Date(this.#options.clock.now()));
  }

  /**
   * Merges an external change if there is one. Not settled while the file is being written by
   * someone; `current` is the file as this check found it (null: missing), for the next write.
   */
  async #checkDisk(): Promise<{ settled: boolean; current?: FileStamp | null }> {
    if (this.#stopped) return { settled: true };
    const { files, maxBytes } = this.#options;
    const stamp = await files.documentStamp(this.#path);
    if (sameStamp(stamp, this.#stamp)) return { settled: true, current: stamp };
    if (stamp === null) {
      // Deleted underneath an open editor: keep the text; the next edit recreates the file.
      this.#stamp = null;
      return { settled: true, current: null };
    }
    const { file, text } = await files.readDocument(this.#path, maxBytes);
    // Caught in the middle of someone's write (truncate, then write): look again shortly.
    if (!sameStamp(await files.documentStamp(this.#path), stamp)) {
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
    if (file.hash !== this.#host.baseHash()) {
      try {
        this.#host.mergeFromDisk(text ?? '', file.hash);
      } catch (error) {
        if (!(error instanceof UnsupportedContentError)) throw error;
        // The live doc stays as it is (and in the log); the file is not touched until it is fixed.
        this.#stop();
        this.#host.unsupported(error.message);
        return { settled: true };
      }
    }
    return { settled: true, current: stamp };
  }

  #scheduleCheck(delayMs: number): void {
    if (this.#checkTimer || this.#stopped) return;
    this.#checkTimer = this.#options.clock.setTimeout(() => {
      this.#checkTimer = undefined;
      void this.checkNow();
    }, delayMs);
  }

  #stop(): void {
    this.#stopped = true;
    this.#saveTimer?.dispose();
    this.#checkTimer?.dispose();
    this.#pollTimer?.dispose();
    this.#saveTimer = this.#checkTimer = this.#pollTimer = undefined;
  }

  /** Stops timers. Call {@link flush} first to keep pending edits. */
  dispose(): void {
    this.#stop();
  }
}

function sameStamp(a: FileStamp | null, b: FileStamp | null): boolean {
  if (a === null || b === null) return a === b;
  return a.ino === b.ino && a.mtimeMs === b.mtimeMs && a.size === b.size;
}
