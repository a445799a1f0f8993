/**
 * The Studio agent's wire format: frames on one byte stream (a Unix socket from the Studio to
 * the server), multiplexing many channels, SSH-style. Every frame is
 *
 *   u32 payload length (big endian) | u8 type | u32 channel | payload
 *
 * Channel 0 is the connection itself (hello, ping). Only the server opens channels; each carries
 * one operation (a file read, a write, a watch, a TCP connection to a port in the Studio).
 * Flow control: a sender may have at most the receiver's window of DATA and MESSAGE payload
 * in flight per channel; the receiver grants more with WINDOW frames as it consumes.
 * Anything else is a protocol violation and ends the connection: the agent runs in a container
 * its user controls, so the server treats its bytes like a stranger's. Besides an unknown type,
 * an oversized frame or a window overrun, that is: any first frame but the hello, or a hello
 * over 8 KB; empty DATA; a WINDOW granting nothing, or more than was sent (the window never
 * exceeds its initial size); frames for a closed channel beyond what its window allowed when it
 * closed; more than 100 PINGs a second.
 */
export const AGENT_PROTOCOL_VERSION = 1;

export const AgentFrameType = {
  /** Channel 0, first frame each way: JSON {@link AgentHello} / {@link AgentWelcome}. */
  Hello: 1,
  /** Server → agent: opens `channel` with a JSON {@link AgentRequest}. */
  Open: 2,
  /** A JSON message on a channel: the reply header, or an event of a long-lived channel. */
  Message: 3,
  /** Raw bytes on a channel (file content, TCP payload). */
  Data: 4,
  /** The sender will send no more DATA on this channel (half-close). */
  End: 5,
  /** The channel is gone; payload may be a JSON {@link AgentChannelClose} reason. */
  Close: 6,
  /** Payload: u32 more bytes the sender of this frame is ready to receive on the channel. */
  Window: 7,
  /** Channel 0 keep-alive; answered with PONG carrying the same payload. */
  Ping: 8,
  Pong: 9,
} as const;
export type AgentFrameType = (typeof AgentFrameType)[keyof typeof AgentFrameType];

export const AGENT_FRAME_HEADER_BYTES = 9;
/** Largest payload of one frame; file and port data are cut into frames of at most this. */
export const AGENT_MAX_FRAME_PAYLOAD = 64 * 1024;
/** Bytes of DATA/MESSAGE payload each side may send on a new channel before a WINDOW. */
export const AGENT_INITIAL_WINDOW = 1024 * 1024;

export interface AgentFrame {
  type: AgentFrameType;
  channel: number;
  payload: Uint8Array;
}

/** The peer broke the framing: the connection must end. */
export class AgentProtocolError extends Error {
  override readonly name = 'AgentProtocolError';
}

const KNOWN_TYPES = new Set<number>(Object.values(AgentFrameType));
const EMPTY = new Uint8Array(0);

/**
 * The header of a frame carrying `length` payload bytes. Senders write it and the payload one
 * after the other (a gathered write), so file data is never copied just to be framed.
 */
export function encodeAgentFrameHeader(type: AgentFrameType, channel: number, length: number): Uint8Array {
  if (length > AGENT_MAX_FRAME_PAYLOAD) {
    throw new RangeError(`frame payload of ${length} bytes exceeds ${AGENT_MAX_FRAME_PAYLOAD}`);
  }
  const header = new Uint8Array(AGENT_FRAME_HEADER_BYTES);
  const view = new DataView(header.buffer);
  view.setUint32(0, length);
  view.setUint8(4, type);
  view.setUint32(5, channel);
  return header;
}

/** One frame as bytes (header and payload in one buffer). */
export function encodeAgentFrame(
  type: AgentFrameType,
  channel: number,
  payload: Uint8Array = EMPTY,
): Uint8Array {
  const bytes = new Uint8Array(AGENT_FRAME_HEADER_BYTES + payload.byteLength);
  bytes.set(encodeAgentFrameHeader(type, channel, payload.byteLength), 0);
  bytes.set(payload, AGENT_FRAME_HEADER_BYTES);
  return bytes;
}

/** The u32 payload of a WINDOW frame. */
export function encodeWindow(bytes: number): Uint8Array {
  const payload = new Uint8Array(4);
  new DataView(payload.buffer).setUint32(0, bytes);
  return payload;
}

export function decodeWindow(payload: Uint8Array): number {
  if (payload.byteLength !== 4) throw new AgentProtocolError('WINDOW frame must carry 4 bytes');
  return new DataView(payload.buffer, payload.byteOffset, 4).getUint32(0);
}

/**
 * Cuts a byte stream into frames. Holds at most one frame's worth of bytes (header plus
 * {@link AGENT_MAX_FRAME_PAYLOAD}): a length above the maximum or an unknown type throws
 * {@link AgentProtocolError} as soon as the header is seen, before any payload is buffered.
 * Payloads are views into the received chunks (which nobody writes to afterwards); bytes are
 * copied only to join a frame that arrived split across chunks, once.
 */
export class AgentFrameDecoder {
  /** Received bytes not yet decoded, in order. */
  #pending: Uint8Array[] = [];
  #pendingBytes = 0;

  push(chunk: Uint8Array): AgentFrame[] {
    if (chunk.byteLength === 0) return [];
    this.#pending.push(chunk);
    this.#pendingBytes += chunk.byteLength;
    const frames: AgentFrame[] = [];
    for (;;) {
      if (this.#pendingBytes < AGENT_FRAME_HEADER_BYTES) break;
      const head = this.#peek(AGENT_FRAME_HEADER_BYTES);
      const view = new DataView(head.buffer, head.byteOffset, AGENT_FRAME_HEADER_BYTES);
      const length = view.getUint32(0);
      const type = view.getUint8(4);
      if (length > AGENT_MAX_FRAME_PAYLOAD) {
        throw new AgentProtocolError(`frame of ${length} bytes exceeds ${AGENT_MAX_FRAME_PAYLOAD}`);
      }
      if (!KNOWN_TYPES.has(type)) throw new AgentProtocolError(`unknown frame type ${type}`);
      const size = AGENT_FRAME_HEADER_BYTES + length;
      if (this.#pendingBytes < size) break;
      let payload = this.#take(size).subarray(AGENT_FRAME_HEADER_BYTES);
      // A view keeps its whole buffer alive for as long as the payload is held (a slow reader):
      // a small payload in a big received chunk is copied, so what is held is what was sent.
      if (payload.byteLength * 2 < payload.buffer.byteLength) payload = payload.slice();
      frames.push({ type: type as AgentFrameType, channel: view.getUint32(5), payload });
    }
    return frames;
  }

  /** Bytes of an incomplete frame waiting for the rest. */
  get pendingBytes(): number {
    return this.#pendingBytes;
  }

  /** The first `size` pending bytes, without consuming them (copied only when split). */
  #peek(size: number): Uint8Array {
    const first = this.#pending[0] as Uint8Array;
    return first.byteLength >= size ? first.subarray(0, size) : this.#gather(size, false);
  }

  /** Removes and returns the first `size` pending bytes: a view of one chunk, or one exact copy. */
  #take(size: number): Uint8Array {
    const first = this.#pending[0] as Uint8Array;
    this.#pendingBytes -= size;
    if (first.byteLength < size) return this.#gather(size, true);
    if (first.byteLength === size) this.#pending.shift();
    else this.#pending[0] = first.subarray(size);
    return first.subarray(0, size);
  }

  /** Copies the first `size` pending bytes out of several chunks, consuming them if asked. */
  #gather(size: number, consume: boolean): Uint8Array {
    const out = new Uint8Array(size);
    let offset = 0;
    let index = 0;
    while (offset < size) {
      const part = this.#pending[index] as Uint8Array;
      const used = Math.min(part.byteLength, size - offset);
      out.set(part.subarray(0, used), offset);
      offset += used;
      if (!consume) index += 1;
      else if (used === part.byteLength) this.#pending.shift();
      else this.#pending[0] = part.subarray(used);
    }
    return out;
  }
}
