/**
 * WebSocket close codes used by every Studios socket (collab, events, terminal, later kernel).
 * 4xxx mirror the HTTP status they correspond to, as Hocuspocus does, so a client can map a
 * close to the same handling as an HTTP error. 1009 (too big) and 1008 (policy) are standard.
 * Clients must not auto-reconnect after 4401, 4403, 4404 or 4410.
 */
export const CloseCode = {
  /** RFC 6455: a frame above the server's maximum payload. */
  MessageTooBig: 1009,
  /** The message could not be decoded (garbage, truncated or malformed protocol message). */
  BadMessage: 4400,
  /** The session or token is no longer valid (logged out, token revoked, user deleted). */
  Unauthorized: 4401,
  /** The caller's membership was removed or their role no longer allows this stream. */
  Forbidden: 4403,
  /** The Studio, document or terminal does not exist (or is not visible to the caller). */
  NotFound: 4404,
  /** The request conflicts with the current state (busy, already exists); later may work. */
  Conflict: 4409,
  /** The resource went away for everyone: Studio deleted, terminal closed, file deleted. */
  Gone: 4410,
  /** The document cannot be opened live: a binary file or one above MAX_TEXT_DOCUMENT_BYTES. */
  UnsupportedDocument: 4415,
  /** The client sent more than the server buffers for it (flow control violated). */
  TooManyMessages: 4429,
  /** The server failed unexpectedly; reconnecting later may work. */
  InternalError: 4500,
  /** The server is shutting down or the Studio is stopping; reconnect with backoff. */
  ServerRestarting: 4503,
} as const;
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];

/** Close codes after which a client should not try to reconnect. */
export const FATAL_CLOSE_CODES: ReadonlySet<number> = new Set([
  CloseCode.Unauthorized,
  CloseCode.Forbidden,
  CloseCode.NotFound,
  CloseCode.Gone,
]);
