import { CloseCode } from '@studios/protocol';
import { describe, expect, it } from 'vitest';
import {
  openReconnectingSocket,
  type SocketStatus,
  type Timers,
  type WebSocketLike,
} from './reconnecting-socket';

class FakeSocket implements WebSocketLike {
  binaryType = 'blob';
  readyState = 0;
  onopen: WebSocketLike['onopen'] = null;
  onmessage: WebSocketLike['onmessage'] = null;
  onclose: WebSocketLike['onclose'] = null;
  onerror: WebSocketLike['onerror'] = null;
  sent: unknown[] = [];
  closedWith: number | undefined;
  open() {
    this.readyState = 1;
    this.onopen?.({});
  }
  receive(data: string) {
    this.onmessage?.({ data });
  }
  serverClose(code: number) {
    this.readyState = 3;
    this.onclose?.({ code, reason: '' });
  }
  send(data: unknown) {
    this.sent.push(data);
  }
  close(code?: number) {
    this.closedWith = code;
    this.readyState = 3;
  }
}

/** Timers run only when the test says so (no real waiting). */
class ManualTimers implements Timers {
  pending: { fn: () => void; ms: number }[] = [];
  setTimeout(fn: () => void, ms: number) {
    const entry = { fn, ms };
    this.pending.push(entry);
    return entry;
  }
  clearTimeout(handle: unknown) {
    this.pending = this.pending.filter((entry) => entry !== handle);
  }
  runNext() {
    this.pending.shift()?.fn();
  }
}

function setup() {
  const sockets: FakeSocket[] = [];
  const timers = new ManualTimers();
  const statuses: [SocketStatus, number | undefined][] = [];
  const messages: unknown[] = [];
  const socket = openReconnectingSocket({
    url: 'ws://test/events',
    createSocket: () => {
      const fake = new FakeSocket();
      sockets.push(fake);
      return fake;
    },
    timers,
    backoff: { baseMs: 100, maxMs: 1000, random: () => 1 },
    onMessage: (data) => messages.push(data),
    onStatus: (status, detail) => statuses.push([status, detail.code]),
  });
  const latest = () => {
    const fake = sockets[sockets.length - 1];
    if (!fake) throw new Error('no socket created');
    return fake;
  };
  return { socket, sockets, timers, statuses, messages, latest };
}

describe('openReconnectingSocket', () => {
  it('reconnects with growing backoff after transient closes and resets after a message', () => {
    const { sockets, timers, latest, messages } = setup();
    latest().open();
    latest().serverClose(1006);
    expect(timers.pending.map((entry) => entry.ms)).toEqual([100]);
    timers.runNext();
    latest().serverClose(CloseCode.ServerRestarting);
    expect(timers.pending.map((entry) => entry.ms)).toEqual([200]);
    timers.runNext();
    latest().open();
    latest().receive('hi');
    latest().serverClose(1006);
    expect(timers.pending.map((entry) => entry.ms)).toEqual([100]);
    expect(sockets).toHaveLength(3);
    expect(messages).toEqual(['hi']);
  });

  it.each([CloseCode.Unauthorized, CloseCode.Forbidden, CloseCode.NotFound, CloseCode.Gone])(
    'stops for good on fatal close %i',
    (code) => {
      const { timers, latest, statuses } = setup();
      latest().open();
      latest().serverClose(code);
      expect(timers.pending).toEqual([]);
      expect(statuses.at(-1)).toEqual(['closed', code]);
    },
  );

  it('sends only while open and closes without reconnecting', () => {
    const { socket, timers, latest, sockets } = setup();
    expect(socket.send('early')).toBe(false);
    latest().open();
    expect(socket.send('hello')).toBe(true);
    expect(latest().sent).toEqual(['hello']);
    socket.close();
    expect(latest().closedWith).toBe(1000);
    expect(timers.pending).toEqual([]);
    expect(sockets).toHaveLength(1);
    expect(socket.status).toBe('closed');
  });
});
