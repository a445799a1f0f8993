import { collabRoomForPath } from '@studios/protocol';
import { WebsocketProvider } from 'y-websocket';
import type * as Y from 'yjs';
import { wsUrl } from './ws-url';

export type CollabStatus = 'connecting' | 'connected' | 'disconnected';

export interface CollabHandlers {
  onStatus(status: CollabStatus): void;
  /** The server ended the session for good (4401/4403/4404/4410/4415); no reconnect follows. */
  onClosed(code: number, reason: string): void;
}

/** A live document connection; `destroy()` closes the socket and drops awareness. */
export type CollabConnection = WebsocketProvider;

/**
 * Opens the y-websocket connection for one file. y-websocket 3 already stops reconnecting on
 * every 44xx close (fatal codes and UnsupportedDocument) and retries 45xx, matching our contract.
 */
export function openCollabDocument(
  studioId: string,
  path: string,
  doc: Y.Doc,
  handlers: CollabHandlers,
): CollabConnection {
  const provider = new WebsocketProvider(
    wsUrl(`/api/studios/${encodeURIComponent(studioId)}/collab`),
    collabRoomForPath(path),
    doc,
    // BroadcastChannel would sync tabs of one browser without the server's role checks.
    { disableBc: true, maxBackoffTime: 10_000 },
  );
  provider.on('status', ({ status }) => handlers.onStatus(status));
  provider.on('closed', (close) => handlers.onClosed(close.code, close.reason));
  return provider;
}
