import WebSocket, { type ClientOptions } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';

/** Everything a client needs to reach one collab server; implemented per server under test. */
export interface CollabEndpoint {
  /** `ws://host:port/api/studios/<id>/collab`: the y-websocket `serverUrl`. */
  serverUrl: string;
  /** Headers every socket sends (session cookie, Origin); `authenticated: false` drops the cookie. */
  headers(authenticated: boolean): Record<string, string>;
}

/** A `ws` WebSocket subclass that always sends `headers`: y-websocket's `WebSocketPolyfill` slot. */
export function webSocketWithHeaders(
  headers: Record<string, string>,
): new (
  url: string | URL,
  protocols?: string | string[],
) => WebSocket {
  return class HeaderWebSocket extends WebSocket {
    constructor(url: string | URL, protocols?: string | string[], options?: ClientOptions) {
      super(url, protocols, { ...options, headers: { ...options?.headers, ...headers } });
    }
  };
}

/** One live-document client: a Y.Doc bound to a server through the stock provider. */
export class CollabClient {
  readonly doc = new Y.Doc();
  readonly provider: WebsocketProvider;
  /** Resolves on the first sync with the server; rejects on a fatal close. */
  readonly synced: Promise<void>;

  constructor(endpoint: CollabEndpoint, room: string, options: { doc?: Y.Doc } = {}) {
    if (options.doc) this.doc = options.doc;
    this.provider = new WebsocketProvider(endpoint.serverUrl, room, this.doc, {
      WebSocketPolyfill: webSocketWithHeaders(
        endpoint.headers(true),
      ) as unknown as typeof globalThis.WebSocket,
      // Every client lives in this one process: without this they would sync over
      // BroadcastChannel and never touch the server under test.
      disableBc: true,
      maxBackoffTime: 1_000,
    });
    this.synced = new Promise((resolve, reject) => {
      if (this.provider.synced) return resolve();
      this.provider.on('sync', (isSynced: boolean) => {
        if (isSynced) resolve();
      });
      this.provider.on('closed', (event: { code: number; reason: string }) =>
        reject(new Error(`collab socket closed ${event.code} ${event.reason}`)),
      );
    });
  }

  get text(): Y.Text {
    return this.doc.getText('source');
  }

  dispose(): void {
    this.provider.destroy();
    this.doc.destroy();
  }
}

/** Resolves when every promise has, or rejects with the first failure or after `timeoutMs`. */
export async function allWithin<T>(
  promises: readonly Promise<T>[],
  timeoutMs: number,
  what: string,
): Promise<T[]> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`Timed out after ${timeoutMs} ms: ${what}`)), timeoutMs);
  });
  try {
    return await Promise.race([Promise.all(promises), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
