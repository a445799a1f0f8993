import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

/**
 * Jupyter messaging 5.3 on the wire: one ZeroMQ multipart message per Jupyter message.
 * https://jupyter-client.readthedocs.io/en/stable/messaging.html#the-wire-protocol
 *
 *   [routing ids…, "<IDS|MSG>", HMAC hex, header, parent_header, metadata, content, buffers…]
 *
 * The kernel is untrusted (whoever controls the Studio controls it): {@link decodeMessage} never
 * throws, it returns why a message was refused, and callers drop and count it.
 */
export const MESSAGING_VERSION = '5.3';
export const DELIMITER = Buffer.from('<IDS|MSG>');

/** Largest Jupyter message accepted, all frames together (a notebook with big images fits). */
export const MAX_MESSAGE_BYTES = 32 * 1024 * 1024;
/** Most frames a message may have (routing ids and binary buffers included). */
export const MAX_FRAMES = 64;

/** The header of every message (spec: "General message format"). */
export const MessageHeader = z.object({
  msg_id: z.string().max(256),
  msg_type: z.string().max(128),
  session: z.string().max(256),
  username: z.string().max(256).optional(),
  date: z.string().max(64).optional(),
  version: z.string().max(32).optional(),
});
export type MessageHeader = z.infer<typeof MessageHeader>;

// Built once: building a zod schema per message was the top cost of a kernel round trip (S8).
const ParentHeader = MessageHeader.or(z.object({}).strict());
const Metadata = z.record(z.string(), z.unknown());

/** A decoded message; `content` is still unvalidated JSON until a schema for its type parses it. */
export interface JupyterMessage {
  identities: Buffer[];
  header: MessageHeader;
  /** Empty object when the message answers nothing (spec: an empty dict). */
  parentHeader: MessageHeader | Record<string, never>;
  metadata: Record<string, unknown>;
  content: unknown;
  buffers: Buffer[];
}

/** Why a message was dropped: counted per reason on each connection. */
export type DropReason = 'oversized' | 'malformed' | 'bad-signature';

/** HMAC-SHA256 over the four JSON frames; an empty key means "unsigned" (spec: signature ""). */
export class MessageSigner {
  readonly #key: Buffer;

  constructor(key: string) {
    this.#key = Buffer.from(key, 'utf8');
  }

  sign(frames: readonly Buffer[]): string {
    if (this.#key.length === 0) return '';
    const hmac = createHmac('sha256', this.#key);
    for (const frame of frames) hmac.update(frame);
    return hmac.digest('hex');
  }

  /** Constant-time comparison, so a kernel cannot learn the key byte by byte from timing. */
  verify(signature: Buffer, frames: readonly Buffer[]): boolean {
    const expected = Buffer.from(this.sign(frames), 'ascii');
    return signature.length === expected.length && timingSafeEqual(signature, expected);
  }
}

/** A header for a new message of this session. */
export function newHeader(msgType: string, session: string): MessageHeader {
  return {
    msg_id: randomUUID(),
    msg_type: msgType,
    session,
    username: 'studios',
    date: new Date().toISOString(),
    version: MESSAGING_VERSION,
  };
}

/** A new session id (also the routing id of the shell and stdin sockets, as jupyter_client does). */
export function newSessionId(): string {
  return randomUUID();
}

/** The frames of a message, signed. */
export function encodeMessage(
  signer: MessageSigner,
  message: {
    identities?: Buffer[];
    header: MessageHeader;
    parentHeader?: MessageHeader | Record<string, never>;
    metadata?: Record<string, unknown>;
    content: unknown;
    buffers?: Buffer[];
  },
): Buffer[] {
  const parts = [
    json(message.header),
    json(message.parentHeader ?? {}),
    json(message.metadata ?? {}),
    json(message.content),
  ];
  return [
    ...(message.identities ?? []),
    DELIMITER,
    Buffer.from(signer.sign(parts), 'ascii'),
    ...parts,
    ...(message.buffers ?? []),
  ];
}

/** Decodes and verifies one multipart message; never throws. */
export function decodeMessage(
  signer: MessageSigner,
  frames: readonly Buffer[],
): { ok: true; message: JupyterMessage } | { ok: false; reason: DropReason } {
  if (frames.length > MAX_FRAMES) return { ok: false, reason: 'oversized' };
  let size = 0;
  for (const frame of frames) size += frame.length;
  if (size > MAX_MESSAGE_BYTES) return { ok: false, reason: 'oversized' };
  const delimiter = frames.findIndex((frame) => frame.equals(DELIMITER));
  if (delimiter < 0 || frames.length < delimiter + 6) return { ok: false, reason: 'malformed' };
  const [signature, header, parent, metadata, content] = frames.slice(delimiter + 1, delimiter + 6) as [
    Buffer,
    Buffer,
    Buffer,
    Buffer,
    Buffer,
  ];
  if (!signer.verify(signature, [header, parent, metadata, content]))
    return { ok: false, reason: 'bad-signature' };
  const parsedHeader = MessageHeader.safeParse(parseJson(header));
  const parsedParent = ParentHeader.safeParse(parseJson(parent));
  const parsedMetadata = Metadata.safeParse(parseJson(metadata));
  const parsedContent = parseJson(content);
  if (
    !parsedHeader.success ||
    !parsedParent.success ||
    !parsedMetadata.success ||
    parsedContent === undefined
  ) {
    return { ok: false, reason: 'malformed' };
  }
  return {
    ok: true,
    message: {
      identities: frames.slice(0, delimiter),
      header: parsedHeader.data,
      parentHeader: parsedParent.data as MessageHeader | Record<string, never>,
      metadata: parsedMetadata.data,
      content: parsedContent,
      buffers: frames.slice(delimiter + 6),
    },
  };
}

/** The id of the request a message answers, if any. */
export function parentId(message: JupyterMessage): string | undefined {
  return 'msg_id' in message.parentHeader ? message.parentHeader.msg_id : undefined;
}

function json(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value), 'utf8');
}

/** JSON or undefined: a kernel's garbage is a dropped message, not an exception. */
function parseJson(frame: Buffer): unknown {
  try {
    return JSON.parse(frame.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}
