import { EVENTS_PROTOCOL_VERSION, type StudioEvent } from '@studios/protocol';
import { WebSocket } from 'ws';
import type { SocketRoute } from '../features/feature';
import type { StudioEventHub } from '../services/event-hub';

/** Client → server frames are not part of this protocol; anything larger than this closes. */
const EVENTS_MAX_PAYLOAD = 4 * 1024;

/**
 * `/api/studios/:studioId/events` (viewer and up): `hello`, then every event published for the
 * Studio, plus a `role` event when the caller's own role changes.
 */
export function eventsSocketRoute(hub: StudioEventHub): SocketRoute {
  return {
    pattern: '/api/studios/:studioId/events',
    minRole: 'viewer',
    maxPayload: EVENTS_MAX_PAYLOAD,
    handle(ws, ctx) {
      const send = (event: StudioEvent) => {
        if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(event));
      };
      send({ type: 'hello', version: EVENTS_PROTOCOL_VERSION, role: ctx.role });
      const subscription = hub.subscribe(ctx.studioId, send);
      ws.once('close', () => subscription.dispose());
      return { onRoleChange: (role) => send({ type: 'role', role }) };
    },
  };
}
