import WebSocket from 'ws';

export interface RawSocket {
  ws: WebSocket;
  /** Every binary frame received so far. */
  frames: Uint8Array[];
  opened: Promise<void>;
  closed: Promise<{ code: number; reason: string }>;
  send(frame: Uint8Array): void;
}

/** A bare socket on a collab route, for hand-encoded (and hostile) frames. */
export function openRawSocket(
  collabUrl: string,
  path: string,
  options: { user?: string; role?: 'viewer' | 'editor' } = {},
): RawSocket {
  const query = new URLSearchParams({ user: options.user ?? 'mallory', role: options.role ?? 'editor' });
  const ws = new WebSocket(`${collabUrl}/${encodeURIComponent(path)}?${query}`);
  const frames: Uint8Array[] = [];
  ws.on('message', (data: Buffer) => frames.push(new Uint8Array(data)));
  ws.on('error', () => {});
  const opened = new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('close', () => reject(new Error('closed before open')));
  });
  opened.catch(() => {});
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() }));
  });
  return { ws, frames, opened, closed, send: (frame) => ws.send(frame) };
}
