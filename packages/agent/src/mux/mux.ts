import type { Duplex } from 'node:stream';
import { type Clock, type Disposable, ListenerSet, systemClock } from '@studios/base';
import {
  AgentFrameDecoder,
  AgentFrameType,
  AgentProtocolError,
  encodeAgentFrameHeader,
} from '@studios/protocol';
import { type ChannelOwner, LATE_FRAME_MIN_COST, MuxChannel } from './channel';

export interface MuxOptions {
  /** The server opens channels; the agent accepts them. */
  side: 'server' | 'agent';
  /** Agent side: a channel was opened with this (not yet validated) JSON request. */
  onOpen?(channel: MuxChannel, request: unknown): void;
  /** Open channels at most; the server side refuses to open more. Default 512. */
  maxChannels?: number;
  clock?: Clock;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });
/** PING payloads are small tokens; anything bigger is not a ping. */
const MAX_PING_PAYLOAD = 64;
/**
 * Pings are keep-alives, a few a minute. Each is answered, so a peer pinging faster than this
 * per second is a flood: it would cost the event loop every Studio shares.
 */
const MAX_PINGS_PER_SECOND = 100;
/**
 * A ping is not answered while this much of what we sent is still waiting for the peer to read
 * it: a peer that pings but never reads would otherwise pile our PONGs up in memory.
 */
const MAX_UNREAD_BYTES_FOR_PONG = 1024 * 1024;
/**
 * A hello is a few hundred bytes. Until the peer has said it, this is all a connection may
 * hold: anyone in a Studio can connect, and a frame's worth (64 KB) per unauthenticated
 * connection would let one Studio fill the server's memory with half-sent hellos.
 */
const MAX_HELLO_BYTES = 8 * 1024;

/**
 * One agent connection: frames on a byte stream (see the protocol's `agent/frames.ts`),
 * demultiplexed into {@link MuxChannel}s. Any violation of the framing by the peer ends the
 * whole connection (never just a channel): a peer that breaks the protocol once cannot be
 * trusted to frame anything else right.
 */
export class Mux implements Disposable, ChannelOwner {
  readonly #socket: Duplex;
  readonly #options: MuxOptions;
  readonly #clock: Clock;
  readonly #decoder = new AgentFrameDecoder();
  readonly #channels = new Map<number, MuxChannel>();
  readonly #hellos = new ListenerSet<unknown>();
  readonly #closes = new ListenerSet<Error | undefined>();
  readonly #pings = new Map<string, () => void>();
  /** Highest channel id opened so far: frames for lower ids whose channel is gone are late, not bad. */
  #highestId = 0;
  #helloReceived = false;
  #closed = false;
  /** Pings received in the current second, for the flood limit. */
  #pingRate = { since: 0, count: 0 };
  /** Bytes of frames the peer may still send for channels already closed here. */
  #lateBudget = 0;

  constructor(socket: Duplex, options: MuxOptions) {
    this.#socket = socket;
    this.#options = options;
    this.#clock = options.clock ?? systemClock;
    socket.on('data', (chunk: Buffer) => this.#receive(chunk));
    socket.on('error', (error) => this.close(error));
    socket.on('close', () => this.close(new Error('connection closed')));
  }

  get isClosed(): boolean {
    return this.#closed;
  }

  /** Channels open right now. */
  get openChannels(): number {
    return this.#channels.size;
  }

  /** The peer's hello (channel 0), raw: the caller validates it. */
  onHello(listener: (hello: unknown) => void): Disposable {
    return this.#hellos.add(listener);
  }

  /** The connection ended; `error` says why (undefined after a local `close()`). */
  onClose(listener: (error: Error | undefined) => void): Disposable {
    return this.#closes.add(listener);
  }

  /** Sends our hello (JSON) on channel 0. */
  hello(message: unknown): void {
    this.send(AgentFrameType.Hello, 0, encoder.encode(JSON.stringify(message)));
  }

  /** Server side: opens a channel for `request`. */
  open(request: unknown): MuxChannel {
    if (this.#options.side !== 'server') throw new Error('only the server opens channels');
    if (this.#closed) throw new Error('the agent connection is closed');
    const max = this.#options.maxChannels ?? 512;
    if (this.#channels.size >= max) throw new Error(`more than ${max} agent channels open`);
    const id = ++this.#highestId;
    const channel = new MuxChannel(id, this);
    this.#channels.set(id, channel);
    this.send(AgentFrameType.Open, id, encoder.encode(JSON.stringify(request)));
    return channel;
  }

  /** Round trip of a PING, in ms; rejects when the connection closes or after `timeoutMs`. */
  ping(timeoutMs = 10_000): Promise<number> {
    const token = `${this.#clock.now()}-${Math.random().toString(36).slice(2, 10)}`;
    const started = this.#clock.now();
    return new Promise((resolve, reject) => {
      const timer = this.#clock.setTimeout(() => {
        this.#pings.delete(token);
        reject(new Error(`no answer to a ping within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#pings.set(token, () => {
        timer.dispose();
        resolve(this.#clock.now() - started);
      });
      this.send(AgentFrameType.Ping, 0, encoder.encode(token));
    });
  }

  /** @internal Writes one frame (a no-op once closed): header and payload as one gathered write. */
  send(type: AgentFrameType, channel: number, payload?: Uint8Array): void {
    if (this.#closed) return;
    const header = encodeAgentFrameHeader(type, channel, payload?.byteLength ?? 0);
    if (!payload || payload.byteLength === 0) {
      this.#socket.write(header);
      return;
    }
    this.#socket.cork();
    this.#socket.write(header);
    this.#socket.write(payload);
    process.nextTick(() => this.#socket.uncork());
  }

  /** @internal */
  release(channel: number, lateBytes: number): void {
    this.#channels.delete(channel);
    this.#lateBudget += lateBytes;
  }

  /** Ends the connection and every channel on it. */
  close(error?: Error): void {
    if (this.#closed) return;
    this.#closed = true;
    const reason = error?.message ?? 'connection closed';
    for (const channel of [...this.#channels.values()]) channel.abort(reason);
    this.#channels.clear();
    this.#pings.clear();
    this.#socket.destroy();
    this.#closes.emit(error);
    this.#closes.clear();
    this.#hellos.clear();
  }

  dispose(): void {
    this.close();
  }

  #receive(chunk: Uint8Array): void {
    if (this.#closed) return;
    try {
      for (const frame of this.#decoder.push(chunk)) {
        if (this.#closed) return;
        if (!this.#helloReceived && frame.type !== AgentFrameType.Hello) {
          throw new AgentProtocolError('the first frame must be a hello');
        }
        this.#dispatch(frame.type, frame.channel, frame.payload);
      }
      if (!this.#helloReceived && this.#decoder.pendingBytes > MAX_HELLO_BYTES) {
        throw new AgentProtocolError('hello too large');
      }
    } catch (error) {
      this.close(error instanceof Error ? error : new AgentProtocolError(String(error)));
    }
  }

  #dispatch(type: AgentFrameType, id: number, payload: Uint8Array): void {
    if (id === 0) {
      this.#connectionFrame(type, payload);
      return;
    }
    if (type === AgentFrameType.Open) {
      this.#accept(id, payload);
      return;
    }
    const channel = this.#channels.get(id);
    if (channel) {
      channel.receive(type, payload);
      return;
    }
    if (id > this.#highestId) throw new AgentProtocolError(`frame for channel ${id}, which was never opened`);
    // Late frames for a closed channel are dropped, but only up to what its window still allowed
    // when it closed: an endless stream on a channel we closed would cost the server's CPU forever.
    this.#lateBudget -= Math.max(payload.byteLength, LATE_FRAME_MIN_COST);
    if (this.#lateBudget < 0) throw new AgentProtocolError('frames for closed channels beyond their window');
  }

  #connectionFrame(type: AgentFrameType, payload: Uint8Array): void {
    switch (type) {
      case AgentFrameType.Hello:
        if (this.#helloReceived) throw new AgentProtocolError('second hello');
        if (payload.byteLength > MAX_HELLO_BYTES) throw new AgentProtocolError('hello too large');
        this.#helloReceived = true;
        this.#hellos.emit(parseJson(payload));
        return;
      case AgentFrameType.Ping:
        if (payload.byteLength > MAX_PING_PAYLOAD) throw new AgentProtocolError('oversized ping');
        this.#countPing();
        if (this.#socket.writableLength <= MAX_UNREAD_BYTES_FOR_PONG)
          this.send(AgentFrameType.Pong, 0, payload);
        return;
      case AgentFrameType.Pong: {
        const waiter = this.#pings.get(safeText(payload));
        if (!waiter) return;
        this.#pings.delete(safeText(payload));
        waiter();
        return;
      }
      default:
        throw new AgentProtocolError(`frame type ${type} on channel 0`);
    }
  }

  #countPing(): void {
    const now = this.#clock.now();
    if (now - this.#pingRate.since >= 1000) this.#pingRate = { since: now, count: 0 };
    this.#pingRate.count += 1;
    if (this.#pingRate.count > MAX_PINGS_PER_SECOND) throw new AgentProtocolError('ping flood');
  }

  #accept(id: number, payload: Uint8Array): void {
    if (this.#options.side !== 'agent') throw new AgentProtocolError('the agent may not open channels');
    if (id <= this.#highestId) throw new AgentProtocolError(`channel ${id} opened twice or out of order`);
    this.#highestId = id;
    const channel = new MuxChannel(id, this);
    this.#channels.set(id, channel);
    this.#options.onOpen?.(channel, parseJson(payload));
  }
}

function parseJson(payload: Uint8Array): unknown {
  try {
    return JSON.parse(decoder.decode(payload));
  } catch {
    throw new AgentProtocolError('expected a JSON payload');
  }
}

function safeText(payload: Uint8Array): string {
  try {
    return decoder.decode(payload);
  } catch {
    return '';
  }
}
