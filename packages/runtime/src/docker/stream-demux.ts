/**
 * Splits Docker's multiplexed attach stream (non-TTY execs) into stdout and stderr.
 * Each frame is an 8-byte header — stream type (1 stdout, 2 stderr), 3 zero bytes, big-endian
 * payload length — then the payload. Frames may arrive split or merged across chunks.
 */
export class StreamDemuxer {
  #pending: Buffer = Buffer.alloc(0);
  readonly #onStdout: (chunk: Buffer) => void;
  readonly #onStderr: (chunk: Buffer) => void;

  constructor(onStdout: (chunk: Buffer) => void, onStderr: (chunk: Buffer) => void) {
    this.#onStdout = onStdout;
    this.#onStderr = onStderr;
  }

  push(chunk: Buffer): void {
    this.#pending = this.#pending.length === 0 ? chunk : Buffer.concat([this.#pending, chunk]);
    while (this.#pending.length >= 8) {
      const type = this.#pending.readUInt8(0);
      const length = this.#pending.readUInt32BE(4);
      if (this.#pending.length < 8 + length) return;
      const payload = this.#pending.subarray(8, 8 + length);
      this.#pending = this.#pending.subarray(8 + length);
      if (type === 2) this.#onStderr(payload);
      else this.#onStdout(payload);
    }
  }

  /** Bytes of an incomplete frame still waiting for the rest. */
  get bufferedBytes(): number {
    return this.#pending.length;
  }
}
