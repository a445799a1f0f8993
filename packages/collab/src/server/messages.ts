import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';

/**
 * The y-websocket wire format (https://github.com/yjs/y-protocols/blob/master/PROTOCOL.md):
 * a varuint message type, then the payload. Only what the stock `WebsocketProvider` sends is
 * accepted; anything else, or trailing bytes, is a bad message.
 */
export const MessageType = { Sync: 0, Awareness: 1, Auth: 2, QueryAwareness: 3 } as const;
export const SyncMessageType = { Step1: 0, Step2: 1, Update: 2 } as const;

/** One client's entry in an awareness update; `state` is the raw JSON text ("null" = gone). */
export interface AwarenessEntry {
  clientId: number;
  clock: number;
  state: string;
}

export type ClientMessage =
  | { type: 'sync-step1'; stateVector: Uint8Array }
  | { type: 'sync-step2' | 'update'; update: Uint8Array }
  | { type: 'awareness'; entries: AwarenessEntry[] }
  | { type: 'query-awareness' };

/** The frame could not be decoded; the connection that sent it is closed with BadMessage. */
export class BadMessageError extends Error {
  override readonly name = 'BadMessageError';
}

/**
 * Decodes one client frame. Yjs payloads are fully decoded here (not only framed), so a
 * garbage or truncated update is refused before it reaches the doc: `Y.applyUpdate` reads the
 * delete set after integrating structs and could otherwise fail half-way.
 */
export function decodeClientMessage(frame: Uint8Array, options: { validateUpdates: boolean }): ClientMessage {
  try {
    const decoder = decoding.createDecoder(frame);
    const message = readMessage(decoder, options.validateUpdates);
    if (decoding.hasContent(decoder)) throw new BadMessageError('Trailing bytes after the message');
    return message;
  } catch (error) {
    if (error instanceof BadMessageError) throw error;
    throw new BadMessageError(error instanceof Error ? error.message : 'Undecodable message');
  }
}

function readMessage(decoder: decoding.Decoder, validateUpdates: boolean): ClientMessage {
  const type = decoding.readVarUint(decoder);
  switch (type) {
    case MessageType.Sync: {
      const syncType = decoding.readVarUint(decoder);
      const payload = decoding.readVarUint8Array(decoder);
      if (syncType === SyncMessageType.Step1) {
        Y.decodeStateVector(payload);
        return { type: 'sync-step1', stateVector: payload };
      }
      if (syncType === SyncMessageType.Step2 || syncType === SyncMessageType.Update) {
        if (validateUpdates) Y.decodeUpdate(payload);
        return { type: syncType === SyncMessageType.Step2 ? 'sync-step2' : 'update', update: payload };
      }
      throw new BadMessageError(`Unknown sync message type ${syncType}`);
    }
    case MessageType.Awareness:
      return { type: 'awareness', entries: readAwarenessEntries(decoding.readVarUint8Array(decoder)) };
    case MessageType.QueryAwareness:
      return { type: 'query-awareness' };
    default:
      throw new BadMessageError(`Unknown message type ${type}`);
  }
}

function readAwarenessEntries(update: Uint8Array): AwarenessEntry[] {
  const decoder = decoding.createDecoder(update);
  const count = decoding.readVarUint(decoder);
  const entries: AwarenessEntry[] = [];
  for (let i = 0; i < count; i++) {
    const clientId = decoding.readVarUint(decoder);
    const clock = decoding.readVarUint(decoder);
    const state = decoding.readVarString(decoder);
    JSON.parse(state);
    entries.push({ clientId, clock, state });
  }
  if (decoding.hasContent(decoder)) throw new BadMessageError('Trailing bytes in awareness update');
  return entries;
}

/** Re-encodes awareness entries as an awareness update (after filtering out spoofed ones). */
export function encodeAwarenessEntries(entries: readonly AwarenessEntry[]): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, entries.length);
  for (const entry of entries) {
    encoding.writeVarUint(encoder, entry.clientId);
    encoding.writeVarUint(encoder, entry.clock);
    encoding.writeVarString(encoder, entry.state);
  }
  return encoding.toUint8Array(encoder);
}

export function encodeSyncStep1(doc: Y.Doc): Uint8Array {
  return encodeSync(SyncMessageType.Step1, Y.encodeStateVector(doc));
}

export function encodeSyncStep2(doc: Y.Doc, stateVector: Uint8Array): Uint8Array {
  return encodeSync(SyncMessageType.Step2, Y.encodeStateAsUpdate(doc, stateVector));
}

/** SyncStep2 carrying `state`, an update that already holds the doc's whole state. */
export function encodeSyncStep2FromState(state: Uint8Array): Uint8Array {
  return encodeSync(SyncMessageType.Step2, state);
}

/** A state vector that knows no client: its sender has nothing yet. */
export function isEmptyStateVector(stateVector: Uint8Array): boolean {
  return stateVector.length === 1 && stateVector[0] === 0;
}

export function encodeUpdate(update: Uint8Array): Uint8Array {
  return encodeSync(SyncMessageType.Update, update);
}

function encodeSync(syncType: number, payload: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.Sync);
  encoding.writeVarUint(encoder, syncType);
  encoding.writeVarUint8Array(encoder, payload);
  return encoding.toUint8Array(encoder);
}

export function encodeAwarenessMessage(
  awareness: awarenessProtocol.Awareness,
  clients: number[],
): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.Awareness);
  encoding.writeVarUint8Array(encoder, awarenessProtocol.encodeAwarenessUpdate(awareness, clients));
  return encoding.toUint8Array(encoder);
}
