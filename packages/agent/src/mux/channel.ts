import { type Disposable, ListenerSet } from '@studios/base';
import {
  AGENT_INITIAL_WINDOW,
  AGENT_MAX_FRAME_PAYLOAD,
  AgentFrameType,
  AgentProtocolError,
  decodeWindow,
  encodeWindow,
} from '@studios/protocol';

/** What a channel needs from its connection: sending frames, and forgetting it once closed. */
export interface ChannelOwner {
  send(type: AgentFrameType, channel: number, payload?: Uint8Array): void;
  /** The channel is gone; the peer may still have `lateBytes` of frames on their way for it. */
  release(channel: number, lateBytes: number): void;
}

/** Control frames a peer may still send for a channel it has not yet seen us close. */
const LATE_CONTROL_FRAMES = 4;
/** What a frame for a closed channel costs at least, however small its payload. */
export const LATE_FRAME_MIN_COST = 64;

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * One operation's two-way stream inside a {@link Mux} connection: JSON messages and bytes,
 * each way, in order, under per-channel flow control. Outbound, `sendMessage` and `write` wait
 * while the peer's window is used up. Inbound, bytes count as in flight until `ack`ed (by
 * default right after the listeners ran; `manualAck` hands that to a consumer with its own
 * backpressure, e.g. an HTTP response).
 */
export class MuxChannel implements Disposable {
  readonly id: number;
  readonly #owner: ChannelOwner;
  readonly #messages = new ListenerSet<unknown>();
  readonly #data = new ListenerSet<Uint8Array>();
  readonly #ends = new ListenerSet<void>();
  readonly #closes = new ListenerSet<string | undefined>();
  /** Bytes the peer still accepts from us. */
  #sendWindow = AGENT_INITIAL_WINDOW;
  #windowWaiters: Array<() => void> = [];
  /** Bytes the peer may still send us before our next WINDOW. */
  #receiveWindow = AGENT_INITIAL_WINDOW;
  #unacked = 0;
  #sendQueue: Promise<void> = Promise.resolve();
  #ended = { sent: false, received: false };
  #closed = false;
  #manualAck = false;
  /** Inbound DATA (and END) that arrived before anyone listened: held, unacknowledged. */
  #held: Uint8Array[] | undefined = [];
  #heldEnd = false;

  constructor(id: number, owner: ChannelOwner) {
    this.id = id;
    this.#owner = owner;
  }

  get isClosed(): boolean {
    return this.#closed;
  }

  /** The peer ended its half: no more DATA will come. */
  get receivedEnd(): boolean {
    return this.#ended.received;
  }

  onMessage(listener: (message: unknown) => void): Disposable {
    return this.#messages.add(listener);
  }

  /**
   * Receives inbound bytes. DATA that arrived before the first listener (an operation that looks
   * at the disk before it reads its body) is delivered to that listener first.
   */
  onData(listener: (bytes: Uint8Array) => void): Disposable {
    const subscription = this.#data.add(listener);
    const held = this.#held;
    this.#held = undefined;
    for (const bytes of held ?? []) this.#deliver(bytes);
    if (this.#heldEnd) {
      this.#heldEnd = false;
      // After the caller has attached its END listener too (usually on the next line).
      queueMicrotask(() => this.#ends.emit());
    }
    return subscription;
  }

  /** The peer's END; if it came before any DATA listener, it is reported after the held DATA. */
  onEnd(listener: () => void): Disposable {
    return this.#ends.add(listener);
  }

  /** The channel closed (either side); `reason` when it closed early. */
  onClose(listener: (reason: string | undefined) => void): Disposable {
    return this.#closes.add(listener);
  }

  /** From now on inbound bytes stay unacknowledged until {@link ack}: the consumer paces the peer. */
  useManualAck(): void {
    this.#manualAck = true;
  }

  /** The consumer is done with `bytes` bytes: let the peer send that much more. */
  ack(bytes: number): void {
    if (this.#closed) return;
    this.#unacked -= bytes;
    const grant = AGENT_INITIAL_WINDOW - this.#receiveWindow - this.#unacked;
    // Grant in big steps: a WINDOW frame per DATA frame would double the frame count.
    if (grant >= AGENT_INITIAL_WINDOW / 2) {
      this.#receiveWindow += grant;
      this.#owner.send(AgentFrameType.Window, this.id, encodeWindow(grant));
    }
  }

  /** Sends one JSON message (at most one frame). */
  sendMessage(message: unknown): Promise<void> {
    const payload = encoder.encode(JSON.stringify(message));
    if (payload.byteLength > AGENT_MAX_FRAME_PAYLOAD) {
      return Promise.reject(
        new RangeError(`message of ${payload.byteLength} bytes is too large for one frame`),
      );
    }
    return this.#enqueue(async () => {
      await this.#reserve(payload.byteLength, payload.byteLength);
      this.#owner.send(AgentFrameType.Message, this.id, payload);
    });
  }

  /** Sends bytes, cut into frames as the peer's window allows; resolves once all are sent. */
  write(bytes: Uint8Array): Promise<void> {
    return this.#enqueue(async () => {
      let offset = 0;
      while (offset < bytes.byteLength) {
        const size = await this.#reserve(1, Math.min(bytes.byteLength - offset, AGENT_MAX_FRAME_PAYLOAD));
        this.#owner.send(AgentFrameType.Data, this.id, bytes.subarray(offset, offset + size));
        offset += size;
      }
    });
  }

  /** No more DATA from us (after everything queued before it). */
  end(): Promise<void> {
    return this.#enqueue(async () => {
      if (this.#ended.sent) return;
      this.#ended.sent = true;
      this.#owner.send(AgentFrameType.End, this.id);
    });
  }

  /** Ends the channel at once, both ways, telling the peer why. */
  close(reason?: string): void {
    if (this.#closed) return;
    const payload = reason ? encoder.encode(JSON.stringify({ reason: reason.slice(0, 1000) })) : undefined;
    this.#owner.send(AgentFrameType.Close, this.id, payload);
    this.#finish(reason);
  }

  dispose(): void {
    this.close();
  }

  // ---- called by the connection for inbound frames ----

  /** @internal */
  receive(type: AgentFrameType, payload: Uint8Array): void {
    if (this.#closed) return; // frames racing our CLOSE
    switch (type) {
      case AgentFrameType.Message:
        this.#take(payload.byteLength);
        this.#messages.emit(parseJson(payload));
        this.#autoAck(payload.byteLength);
        return;
      case AgentFrameType.Data:
        if (this.#ended.received) throw new AgentProtocolError('DATA after END');
        // Free of window, empty frames could be sent without end: no sender of ours makes one.
        if (payload.byteLength === 0) throw new AgentProtocolError('empty DATA');
        this.#take(payload.byteLength);
        if (this.#held) this.#held.push(payload);
        else this.#deliver(payload);
        return;
      case AgentFrameType.End:
        if (this.#ended.received) throw new AgentProtocolError('END twice');
        this.#ended.received = true;
        if (this.#held) this.#heldEnd = true;
        else this.#ends.emit();
        return;
      case AgentFrameType.Window:
        this.#grant(decodeWindow(payload));
        return;
      case AgentFrameType.Close:
        this.#finish(closeReason(payload) ?? undefined, true);
        return;
      default:
        throw new AgentProtocolError(`frame type ${type} on a channel`);
    }
  }

  /** @internal The connection ended: the channel ends with it. */
  abort(reason: string): void {
    this.#finish(reason);
  }

  #take(bytes: number): void {
    if (bytes > this.#receiveWindow) throw new AgentProtocolError('peer overran the channel window');
    this.#receiveWindow -= bytes;
    this.#unacked += bytes;
  }

  #deliver(bytes: Uint8Array): void {
    this.#data.emit(bytes);
    this.#autoAck(bytes.byteLength);
  }

  #autoAck(bytes: number): void {
    if (!this.#manualAck) this.ack(bytes);
  }

  #grant(bytes: number): void {
    // A receiver grants back what it consumed of what we sent, so our window never exceeds the
    // initial one; more (or a grant of nothing) would be WINDOW frames costing us without end.
    if (bytes === 0 || this.#sendWindow + bytes > AGENT_INITIAL_WINDOW) {
      throw new AgentProtocolError('WINDOW beyond what was sent');
    }
    this.#sendWindow += bytes;
    for (const wake of this.#windowWaiters.splice(0)) wake();
  }

  /** Waits until at least `min` bytes of window are free; takes up to `max` of them. */
  async #reserve(min: number, max: number): Promise<number> {
    while (this.#sendWindow < min) {
      if (this.#closed) throw new ChannelClosedError();
      await new Promise<void>((wake) => this.#windowWaiters.push(wake));
    }
    if (this.#closed) throw new ChannelClosedError();
    const size = Math.min(max, this.#sendWindow);
    this.#sendWindow -= size;
    return size;
  }

  #enqueue(task: () => Promise<void>): Promise<void> {
    const next = this.#sendQueue.then(() => {
      if (this.#closed) throw new ChannelClosedError();
      return task();
    });
    // The queue goes on after a failure; the caller still sees it.
    this.#sendQueue = next.catch(() => {});
    return next;
  }

  #finish(reason: string | undefined, byPeer = false): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const wake of this.#windowWaiters.splice(0)) wake();
    // Closed by us before the peer's END: what it may still send is what its window allowed,
    // plus the control frames (END, WINDOW, CLOSE) that crossed our CLOSE.
    const late = byPeer || this.#ended.received ? 0 : this.#receiveWindow;
    this.#owner.release(this.id, late + LATE_CONTROL_FRAMES * LATE_FRAME_MIN_COST);
    this.#closes.emit(reason);
    this.#messages.clear();
    this.#data.clear();
    this.#ends.clear();
    this.#closes.clear();
  }
}

/** A send on a channel that has closed. */
export class ChannelClosedError extends Error {
  override readonly name = 'ChannelClosedError';
  constructor() {
    super('the channel is closed');
  }
}

function parseJson(payload: Uint8Array): unknown {
  try {
    return JSON.parse(decoder.decode(payload));
  } catch {
    throw new AgentProtocolError('MESSAGE is not JSON');
  }
}

function closeReason(payload: Uint8Array): string | null {
  if (payload.byteLength === 0) return null;
  try {
    const value = JSON.parse(decoder.decode(payload)) as { reason?: unknown };
    return typeof value.reason === 'string' ? value.reason.slice(0, 1000) : 'closed';
  } catch {
    return 'closed';
  }
}
