import { CloseCode } from '@studios/protocol';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import {
  type AwarenessEntry,
  BadMessageError,
  type ClientMessage,
  decodeClientMessage,
  encodeAwarenessEntries,
  encodeAwarenessMessage,
} from './messages';
import type { Room } from './room';
import type { RoomConnection } from './room-connection';

/**
 * Handles one frame from one socket. Roles are enforced here, per socket and per frame:
 * a viewer's SyncStep2 and Update are dropped (its SyncStep1 is answered), and a socket speaks
 * in awareness only for the client it introduced. Anything undecodable closes that socket only.
 */
export function handleFrame(room: Room, connection: RoomConnection, frame: Uint8Array): void {
  if (frame.length > room.codec.maxFrameBytes) {
    connection.close(CloseCode.MessageTooBig, 'message too big for this document');
    return;
  }
  let message: ClientMessage;
  try {
    message = decodeClientMessage(frame, { validateUpdates: connection.canWrite });
  } catch (error) {
    if (!(error instanceof BadMessageError)) throw error;
    connection.close(CloseCode.BadMessage, 'malformed message');
    return;
  }
  switch (message.type) {
    case 'sync-step1':
      connection.send(room.syncStep2For(message.stateVector));
      return;
    case 'sync-step2':
    case 'update':
      if (!connection.canWrite) return;
      if (refuseForgedUpdate(room, connection, message.update)) return;
      if (room.codec.kind === 'notebook' && room.wouldExceedSize(message.update.length)) {
        connection.close(CloseCode.MessageTooBig, 'the notebook would exceed its size limit');
        return;
      }
      try {
        Y.applyUpdate(room.doc, message.update, connection);
      } catch {
        connection.close(CloseCode.BadMessage, 'update could not be applied');
      }
      return;
    case 'awareness': {
      const accepted = message.entries.filter((entry) => mayUpdateAwareness(room, connection, entry));
      if (accepted.length === 0) return;
      const stamped = accepted.map((entry) => stampUser(entry, connection));
      awarenessProtocol.applyAwarenessUpdate(room.awareness, encodeAwarenessEntries(stamped), connection);
      return;
    }
    case 'query-awareness':
      connection.send(encodeAwarenessMessage(room.awareness, [...room.awareness.getStates().keys()]));
      return;
  }
}

/**
 * A notebook's outputs, execution counts, runs and kernel state are the server's: an update
 * touching them is refused before it is applied, and its sender is closed (4403, not to
 * reconnect: it would send the same update again). Everyone else is unaffected.
 */
function refuseForgedUpdate(room: Room, connection: RoomConnection, update: Uint8Array): boolean {
  const refusal = room.codec.refuseClientUpdate?.(room.doc, update) ?? null;
  if (refusal === null) return false;
  connection.close(CloseCode.Forbidden, `refused: ${refusal}`.slice(0, 120));
  return true;
}

/**
 * A socket claims the first clientID it sends and may only update that one afterwards. A clientID
 * already claimed by another socket is only handed over to the same user (a reconnect whose old
 * socket has not timed out yet), never to someone else.
 */
function mayUpdateAwareness(room: Room, connection: RoomConnection, entry: AwarenessEntry): boolean {
  if (entry.clientId === room.doc.clientID) return false;
  if (connection.awarenessClientId !== null) return entry.clientId === connection.awarenessClientId;
  for (const other of room.connections) {
    if (other === connection || other.awarenessClientId !== entry.clientId) continue;
    if (other.user.id !== connection.user.id) return false;
    other.awarenessClientId = null;
  }
  connection.awarenessClientId = entry.clientId;
  return true;
}

/** Presence shows the authenticated name, whatever the client put in `user`. */
function stampUser(entry: AwarenessEntry, connection: RoomConnection): AwarenessEntry {
  const state: unknown = JSON.parse(entry.state);
  if (!isRecord(state) || !isRecord(state.user)) return entry;
  const user = { ...state.user, id: connection.user.id, name: connection.user.name };
  return { ...entry, state: JSON.stringify({ ...state, user }) };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
