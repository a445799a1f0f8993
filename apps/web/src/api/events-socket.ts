import { StudioEvent } from '@studios/protocol';
import {
  openReconnectingSocket,
  type ReconnectingSocket,
  type SocketStatus,
  type SocketStatusDetail,
} from './reconnecting-socket';
import { wsUrl } from './ws-url';

export interface StudioEventsHandlers {
  onEvent(event: StudioEvent): void;
  onStatus?(status: SocketStatus, detail: SocketStatusDetail): void;
}

/**
 * Subscribes to `/api/studios/:id/events`. Messages that fail validation are dropped (and
 * logged) rather than crashing the page: an older client must survive a newer server.
 */
export function connectStudioEvents(studioId: string, handlers: StudioEventsHandlers): ReconnectingSocket {
  return openReconnectingSocket({
    url: wsUrl(`/api/studios/${encodeURIComponent(studioId)}/events`),
    onStatus: handlers.onStatus,
    onMessage(data) {
      if (typeof data !== 'string') return;
      let json: unknown;
      try {
        json = JSON.parse(data);
      } catch {
        return;
      }
      const parsed = StudioEvent.safeParse(json);
      if (parsed.success) handlers.onEvent(parsed.data);
      else console.warn('Ignored an unrecognised Studio event', json);
    },
  });
}
