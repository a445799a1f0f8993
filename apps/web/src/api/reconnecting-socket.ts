import { FATAL_CLOSE_CODES } from '@studios/protocol';
import { type BackoffOptions, backoffDelay, DEFAULT_BACKOFF } from './backoff';

/** The part of the browser WebSocket this client uses; a fake implements it in tests. */
export interface WebSocketLike {
  binaryType: string;
  readonly readyState: number;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
  send(data: string | ArrayBufferLike | ArrayBufferView): void;
  close(code?: number, reason?: string): void;
}

export type SocketStatus = 'connecting' | 'open' | 'reconnecting' | 'closed';

export interface SocketStatusDetail {
  /** Close code of the connection that just ended, if any. */
  code?: number;
  reason?: string;
  /** Delay before the next attempt, while `reconnecting`. */
  retryInMs?: number;
}

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface ReconnectingSocketOptions {
  url: string;
  onMessage(data: string | ArrayBuffer): void;
  onOpen?(): void;
  onStatus?(status: SocketStatus, detail: SocketStatusDetail): void;
  /** Which close codes end the session for good; defaults to the protocol's fatal set. */
  isFatal?(code: number): boolean;
  createSocket?(url: string): WebSocketLike;
  timers?: Timers;
  backoff?: BackoffOptions;
}

export interface ReconnectingSocket {
  /** Sends when open; returns false when the frame could not be sent. */
  send(data: string | ArrayBufferView): boolean;
  readonly status: SocketStatus;
  /** Closes for good; no reconnect follows. */
  close(): void;
}

const OPEN = 1;
const NORMAL_CLOSURE = 1000;

const browserTimers: Timers = {
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/**
 * A WebSocket that reconnects with jittered exponential backoff after network drops and
 * server restarts, and stops on the fatal close codes (4401/4403/4404/4410) where retrying
 * cannot help. The attempt counter resets only once a message arrives, so a server that
 * accepts and immediately closes is still backed off.
 */
export function openReconnectingSocket(options: ReconnectingSocketOptions): ReconnectingSocket {
  const timers = options.timers ?? browserTimers;
  const isFatal = options.isFatal ?? ((code: number) => FATAL_CLOSE_CODES.has(code));
  const createSocket =
    options.createSocket ?? ((url: string) => new WebSocket(url) as unknown as WebSocketLike);
  let socket: WebSocketLike | null = null;
  let status: SocketStatus = 'connecting';
  let attempt = 0;
  let retryTimer: unknown = null;
  let disposed = false;

  const setStatus = (next: SocketStatus, detail: SocketStatusDetail = {}) => {
    status = next;
    options.onStatus?.(next, detail);
  };

  const connect = () => {
    retryTimer = null;
    if (disposed) return;
    const current = createSocket(options.url);
    socket = current;
    current.binaryType = 'arraybuffer';
    current.onopen = () => {
      setStatus('open');
      options.onOpen?.();
    };
    current.onmessage = (event) => {
      attempt = 0;
      if (typeof event.data === 'string' || event.data instanceof ArrayBuffer) options.onMessage(event.data);
    };
    current.onerror = () => {
      // A close event always follows; reconnect decisions are made there.
    };
    current.onclose = (event) => {
      if (socket !== current) return;
      socket = null;
      if (disposed) return;
      if (isFatal(event.code)) {
        setStatus('closed', { code: event.code, reason: event.reason });
        return;
      }
      const retryInMs = backoffDelay(attempt, options.backoff ?? DEFAULT_BACKOFF);
      attempt += 1;
      setStatus('reconnecting', { code: event.code, reason: event.reason, retryInMs });
      retryTimer = timers.setTimeout(connect, retryInMs);
    };
  };

  setStatus('connecting');
  connect();

  return {
    get status() {
      return status;
    },
    send(data) {
      if (!socket || socket.readyState !== OPEN) return false;
      socket.send(data);
      return true;
    },
    close() {
      if (disposed) return;
      disposed = true;
      if (retryTimer !== null) timers.clearTimeout(retryTimer);
      const current = socket;
      socket = null;
      current?.close(NORMAL_CLOSURE, 'client closed');
      setStatus('closed', { code: NORMAL_CLOSURE });
    },
  };
}
