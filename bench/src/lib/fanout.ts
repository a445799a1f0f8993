import type * as Y from 'yjs';
import { applyPatch, type TracePatch } from './b4-trace';
import { CollabClient, type CollabEndpoint } from './yjs-client';

/** Map and key where the writer stamps each op's sequence number, in the op's own transaction. */
const SEQUENCE_MAP = 'bench';
const SEQUENCE_KEY = 'seq';

/**
 * One document with one writer and N receivers, all in this process, measuring how long each op
 * takes from the writer's local apply to each receiver's observe on one monotonic clock.
 *
 * The writer stamps a sequence number into the same transaction as the text edit, so a receiver
 * knows which ops an update carried even if the server merges or splits updates, and even for
 * delete-only ops (which do not advance the writer's clock).
 */
export class FanoutRoom {
  readonly writer: CollabClient;
  readonly receivers: CollabClient[] = [];
  private readonly sentAt: number[] = [];
  private readonly seenUpTo: number[] = [];
  private nextOp = 0;
  private latencies: number[] = [];

  constructor(
    endpoint: CollabEndpoint,
    room: string,
    receiverCount: number,
    private readonly patches: readonly TracePatch[],
  ) {
    this.writer = new CollabClient(endpoint, room);
    for (let index = 0; index < receiverCount; index++) {
      const receiver = new CollabClient(endpoint, room);
      this.seenUpTo.push(-1);
      receiver.doc.on('update', () => this.observe(index, receiver.doc));
      this.receivers.push(receiver);
    }
  }

  get clients(): CollabClient[] {
    return [this.writer, ...this.receivers];
  }

  /** Ops the writer has applied so far. */
  get opsSent(): number {
    return this.nextOp;
  }

  /** True once every receiver has observed every op sent so far. */
  get caughtUp(): boolean {
    return this.seenUpTo.every((seen) => seen === this.nextOp - 1);
  }

  /** Applies the next trace op on the writer; the provider sends it synchronously. */
  applyNextOp(): void {
    const patch = this.patches[this.nextOp % this.patches.length];
    if (!patch) throw new Error('empty trace');
    const sequence = this.nextOp++;
    const text = this.writer.text;
    const stamps = this.writer.doc.getMap<number>(SEQUENCE_MAP);
    this.sentAt[sequence] = performance.now();
    this.writer.doc.transact(() => {
      applyPatch(text, patch);
      stamps.set(SEQUENCE_KEY, sequence);
    });
  }

  /** Returns the latencies (ms) recorded since the last call and starts a new batch. */
  takeLatencies(): number[] {
    const batch = this.latencies;
    this.latencies = [];
    return batch;
  }

  dispose(): void {
    for (const client of this.clients) client.dispose();
  }

  private observe(receiverIndex: number, doc: Y.Doc): void {
    const now = performance.now();
    const stamped = doc.getMap<number>(SEQUENCE_MAP).get(SEQUENCE_KEY);
    const seen = this.seenUpTo[receiverIndex] ?? -1;
    if (stamped === undefined || stamped <= seen) return;
    for (let sequence = seen + 1; sequence <= stamped; sequence++) {
      const sentAt = this.sentAt[sequence];
      if (sentAt !== undefined) this.latencies.push(now - sentAt);
    }
    this.seenUpTo[receiverIndex] = stamped;
  }
}
