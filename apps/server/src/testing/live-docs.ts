import { TEXT_SOURCE_NAME } from '@studios/protocol';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import type { Account, ListeningTestServer } from './test-server';

/** One open live document: the stock y-websocket client, like a browser tab. */
export interface LiveDoc {
  doc: Y.Doc;
  text: Y.Text;
  provider: WebsocketProvider;
  /** Close codes the server sent, in order. */
  closes: number[];
}

/** Live documents of one Studio opened as `who` (cookie and Origin, like a browser tab); disposes them all. */
export class LiveDocs {
  readonly #opened: LiveDoc[] = [];

  constructor(
    private readonly t: ListeningTestServer,
    private readonly who: Account,
    private readonly studioId: string,
  ) {}

  open(path: string): LiveDoc {
    const headers = { cookie: this.who.cookie, origin: this.t.origin };
    class BrowserLikeSocket extends WebSocket {
      constructor(url: string, protocols?: string | string[]) {
        super(url, protocols, { headers });
      }
    }
    const doc = new Y.Doc();
    const url = this.t.wsUrl(`/api/studios/${this.studioId}/collab`);
    const provider = new WebsocketProvider(url, encodeURIComponent(path), doc, {
      WebSocketPolyfill: BrowserLikeSocket as unknown as typeof globalThis.WebSocket,
      disableBc: true,
    });
    const opened: LiveDoc = { doc, text: doc.getText(TEXT_SOURCE_NAME), provider, closes: [] };
    provider.on('connection-close', (event) => {
      if (event) opened.closes.push(event.code);
    });
    this.#opened.push(opened);
    return opened;
  }

  /** The text of every document opened so far. */
  texts(): string[] {
    return this.#opened.map((opened) => opened.text.toString());
  }

  dispose(): void {
    for (const { doc, provider } of this.#opened.splice(0)) {
      provider.destroy();
      doc.destroy();
    }
  }
}
