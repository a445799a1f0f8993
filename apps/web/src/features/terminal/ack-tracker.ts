/**
 * Counts output bytes xterm.js has actually rendered and reports them in batches, per the
 * terminal protocol's flow control (TERMINAL_FLOW.ACK_EVERY_BYTES). Each `ack` carries the
 * bytes written since the previous one. A snapshot makes the server forget what was unacked,
 * so `reset()` starts a new epoch and late callbacks from before it are ignored.
 */
export class AckTracker {
  private pending = 0;
  private currentEpoch = 0;

  constructor(
    private readonly everyBytes: number,
    private readonly sendAck: (bytes: number) => void,
  ) {}

  get epoch(): number {
    return this.currentEpoch;
  }

  /** Call from xterm's write callback with the chunk's byte length and the epoch it was written in. */
  written(bytes: number, epoch: number = this.currentEpoch): void {
    if (epoch !== this.currentEpoch) return;
    this.pending += bytes;
    if (this.pending >= this.everyBytes) {
      const acked = this.pending;
      this.pending = 0;
      this.sendAck(acked);
    }
  }

  reset(): void {
    this.pending = 0;
    this.currentEpoch += 1;
  }
}
