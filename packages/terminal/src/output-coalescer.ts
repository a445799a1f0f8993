/** Defers `callback` to after pending I/O (setImmediate by default); injected for tests. */
export type DeferFlush = (callback: () => void) => void;

export interface OutputCoalescerOptions {
  /** Largest batch handed on at once (bounds the parser work queued behind one write). */
  maxBatchBytes: number;
  defer?: DeferFlush;
}

/**
 * Merges the small chunks a process's stream delivers within one event-loop turn into a few
 * larger batches, in order, so each batch costs one parser write and one WebSocket frame
 * instead of one per chunk. A chunk is never split; a chunk at least `maxBatchBytes` long goes
 * on alone, without a copy.
 */
export class OutputCoalescer {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private scheduled = false;
  private disposed = false;
  private readonly defer: DeferFlush;

  constructor(
    private readonly onBatch: (batch: Buffer) => void,
    private readonly options: OutputCoalescerOptions,
  ) {
    this.defer = options.defer ?? setImmediate;
  }

  /** Bytes waiting for the next flush. */
  get bufferedBytes(): number {
    return this.pendingBytes;
  }

  push(chunk: Buffer): void {
    if (this.disposed || chunk.length === 0) return;
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    if (this.scheduled) return;
    this.scheduled = true;
    this.defer(this.flush);
  }

  /** Hands on everything pending now, in order. */
  readonly flush = (): void => {
    this.scheduled = false;
    if (this.disposed) return;
    const chunks = this.pending;
    this.pending = [];
    this.pendingBytes = 0;
    let batch: Buffer[] = [];
    let batchBytes = 0;
    for (const chunk of chunks) {
      if (batchBytes > 0 && batchBytes + chunk.length > this.options.maxBatchBytes) {
        this.emit(batch, batchBytes);
        batch = [];
        batchBytes = 0;
      }
      batch.push(chunk);
      batchBytes += chunk.length;
    }
    if (batchBytes > 0) this.emit(batch, batchBytes);
  };

  dispose(): void {
    this.disposed = true;
    this.pending = [];
    this.pendingBytes = 0;
  }

  private emit(batch: Buffer[], bytes: number): void {
    if (this.disposed) return;
    this.onBatch(batch.length === 1 ? (batch[0] as Buffer) : Buffer.concat(batch, bytes));
  }
}
