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

/** One frame as bytes. */
export function encodeAgentFrame(
  type: AgentFrameType,
  channel: number,
  payload: Uint8Array = EMPTY,
): Uint8Array {
  if (payload.byteLength > AGENT_MAX_FRAME_PAYLOAD) {
    throw new RangeError(`frame payload of ${payload.byteLength} bytes exceeds ${AGENT_MAX_FRAME_PAYLOAD}`);
  }
  const bytes = new Uint8Array(AGENT_FRAME_HEADER_BYTES + payload.byteLength);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, payload.byteLength);
  view.setUint8(4, type);
  view.setUint32(5, channel);
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
 */
export class AgentFrameDecoder {
  #buffer: Uint8Array = new Uint8Array(0);

  push(chunk: Uint8Array): AgentFrame[] {
    this.#buffer = this.#buffer.byteLength === 0 ? chunk : concat(this.#buffer, chunk);
    const frames: AgentFrame[] = [];
    let offset = 0;
    while (this.#buffer.byteLength - offset >= AGENT_FRAME_HEADER_BYTES) {
      const view = new DataView(this.#buffer.buffer, this.#buffer.byteOffset + offset);
      const length = view.getUint32(0);
      const type = view.getUint8(4);
      if (length > AGENT_MAX_FRAME_PAYLOAD) {
        throw new AgentProtocolError(`frame of ${length} bytes exceeds ${AGENT_MAX_FRAME_PAYLOAD}`);
      }
      if (!KNOWN_TYPES.has(type)) throw new AgentProtocolError(`unknown frame type ${type}`);
      const end = offset + AGENT_FRAME_HEADER_BYTES + length;
      if (this.#buffer.byteLength < end) break;
      frames.push({
        type: type as AgentFrameType,
        channel: view.getUint32(5),
        // A copy: the caller may keep it after the buffer is reused.
        payload: this.#buffer.slice(offset + AGENT_FRAME_HEADER_BYTES, end),
      });
      offset = end;
    }
    this.#buffer = this.#buffer.subarray(offset);
    return frames;
  }

  /** Bytes of an incomplete frame waiting for the rest. */
  get pendingBytes(): number {
    return this.#buffer.byteLength;
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const joined = new Uint8Array(a.byteLength + b.byteLength);
  joined.set(a, 0);
  joined.set(b, a.byteLength);
  return joined;
}
