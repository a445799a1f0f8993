import { type Logger, silentLogger } from '@studios/base';
import type { UpdateLog } from './update-log';

/** One accepted update waiting for its commit. */
export interface PendingAppend {
  studioId: string;
  path: string;
  update: Uint8Array;
}

/** Who learns the outcome of a pending append (a room), in enqueue order. */
export interface AppendSink {
  /** The update is durable at `seq`: now, and only now, may others see it. */
  committed(append: PendingAppend, seq: number, origin: unknown): void;
  /** The commit failed: the update must not be shown to anyone. */
  failed(append: PendingAppend, origin: unknown, error: unknown): void;
  /** Every update of this sink in the commit has been handed over (once per sink and commit). */
  batchDone?(): void;
}

export interface AppendBatcherOptions {
  /**
   * Runs the commit later in this turn of the event loop. Default `setImmediate`: every frame
   * read in one poll phase (all sockets that were readable) lands in one SQLite transaction.
   */
  schedule?: (commit: () => void) => void;
  log?: Logger;
}

interface Entry {
  sink: AppendSink;
  append: PendingAppend;
  origin: unknown;
}

/**
 * Groups update-log appends into one SQLite transaction per event-loop turn, for every document
 * of the server at once. An update is handed back to its sink only after the transaction that
 * holds it committed, so "durable before anyone else sees it" still holds; sinks hear about
 * their updates in the order they were enqueued. Anything that reads the log or reveals the
 * doc's state calls {@link commit} first, so nothing can overtake a pending update.
 */
export class AppendBatcher {
  readonly #log: UpdateLog;
  readonly #schedule: (commit: () => void) => void;
  readonly #logger: Logger;
  #pending: Entry[] = [];
  #writes: Array<() => void> = [];
  #scheduled = false;

  constructor(log: UpdateLog, options: AppendBatcherOptions = {}) {
    this.#log = log;
    this.#schedule = options.schedule ?? ((commit) => setImmediate(commit));
    this.#logger = options.log ?? silentLogger;
  }

  /** Updates waiting for their commit. */
  get pendingCount(): number {
    return this.#pending.length;
  }

  enqueue(sink: AppendSink, append: PendingAppend, origin: unknown): void {
    this.#pending.push({ sink, append, origin });
    this.#scheduleCommit();
  }

  /**
   * Runs a small log write (e.g. a doc's new base after a save) inside the next commit instead
   * of paying a transaction of its own. For writes that may trail the event that caused them by
   * one event-loop turn; they run before that turn's appends.
   */
  writeWithNextCommit(write: () => void): void {
    this.#writes.push(write);
    this.#scheduleCommit();
  }

  #scheduleCommit(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    this.#schedule(() => {
      this.#scheduled = false;
      this.commit();
    });
  }

  /** Commits everything pending now (one transaction), then tells each sink, in order. */
  commit(): void {
    if (this.#pending.length === 0 && this.#writes.length === 0) return;
    const batch = this.#pending;
    const writes = this.#writes;
    this.#pending = [];
    this.#writes = [];
    let seqs: number[];
    try {
      seqs = this.#log.transaction(() => {
        for (const write of writes) write();
        return this.#log.appendMany(batch.map((entry) => entry.append));
      });
    } catch (error) {
      this.#logger.error('update log commit failed', { updates: batch.length, error: String(error) });
      for (const { sink, append, origin } of batch) sink.failed(append, origin, error);
      return;
    }
    const sinks = new Set<AppendSink>();
    batch.forEach(({ sink, append, origin }, index) => {
      sinks.add(sink);
      sink.committed(append, seqs[index] as number, origin);
    });
    for (const sink of sinks) sink.batchDone?.();
  }
}
