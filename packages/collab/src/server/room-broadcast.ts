import * as Y from 'yjs';
import { encodeUpdate } from './messages';
import type { RoomConnection } from './room-connection';

export interface CommittedUpdate {
  update: Uint8Array;
  origin: unknown;
}

/**
 * Sends a commit's updates of one doc. Several of them (a busy doc) go out merged, one frame
 * per socket instead of one per update and socket: under load that is most of the send work.
 * Nobody gets their own updates echoed back.
 */
export function broadcastCommitted(
  connections: Iterable<RoomConnection>,
  outbox: readonly CommittedUpdate[],
): void {
  const [only] = outbox;
  if (!only) return;
  if (outbox.length === 1) {
    const message = encodeUpdate(only.update);
    for (const connection of connections) if (connection !== only.origin) connection.send(message);
    return;
  }
  const origins = new Set(outbox.map((entry) => entry.origin));
  const everything = encodeUpdate(Y.mergeUpdates(outbox.map((entry) => entry.update)));
  for (const connection of connections) {
    if (!origins.has(connection)) {
      connection.send(everything);
      continue;
    }
    const others = outbox.filter((entry) => entry.origin !== connection).map((entry) => entry.update);
    if (others.length > 0) connection.send(encodeUpdate(Y.mergeUpdates(others)));
  }
}
