import { TEXT_SOURCE_NAME } from '@studios/protocol';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';

export interface TestClient {
  doc: Y.Doc;
  provider: WebsocketProvider;
  text: Y.Text;
  /** Close events the provider saw, newest last. */
  closes: Array<{ code: number; reason: string }>;
  destroy(): void;
}

/** A stock y-websocket client, as a browser tab would open it (minus BroadcastChannel). */
export function connectClient(
  collabUrl: string,
  path: string,
  options: { user?: string; role?: 'viewer' | 'editor'; doc?: Y.Doc; connect?: boolean } = {},
): TestClient {
  const doc = options.doc ?? new Y.Doc();
  const provider = new WebsocketProvider(collabUrl, encodeURIComponent(path), doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    connect: options.connect ?? true,
    params: { user: options.user ?? 'alice', role: options.role ?? 'editor' },
  });
  const closes: Array<{ code: number; reason: string }> = [];
  provider.on('connection-close', (event) => {
    if (event) closes.push({ code: event.code, reason: event.reason });
  });
  return {
    doc,
    provider,
    text: doc.getText(TEXT_SOURCE_NAME),
    closes,
    destroy() {
      provider.destroy();
      doc.destroy();
    },
  };
}
