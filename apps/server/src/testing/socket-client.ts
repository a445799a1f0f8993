import { WebSocket } from 'ws';

/** A connected client socket that records what it receives. */
export interface TestSocket {
  ws: WebSocket;
  /** Text frames parsed as JSON; binary frames as Buffers. */
  messages: unknown[];
  /** Set once the socket has closed. */
  closeEvent: { code: number; reason: string } | undefined;
  closed: Promise<{ code: number; reason: string }>;
}

/** Thrown when the server answers the upgrade with an HTTP status instead of switching protocols. */
export class UpgradeRejectedError extends Error {
  constructor(readonly status: number) {
    super(`upgrade rejected with HTTP ${status}`);
  }
}

/** Opens a WebSocket with the given headers (Cookie, Origin, Authorization…). */
export function connectSocket(url: string, headers: Record<string, string> = {}): Promise<TestSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    const socket: TestSocket = {
      ws,
      messages: [],
      closeEvent: undefined,
      closed: new Promise((resolveClosed) => {
        ws.on('close', (code, reason) => {
          socket.closeEvent = { code, reason: reason.toString() };
          resolveClosed(socket.closeEvent);
        });
      }),
    };
    ws.on('message', (data, isBinary) => {
      const buffer = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
      socket.messages.push(isBinary ? buffer : JSON.parse(buffer.toString('utf8')));
    });
    ws.once('open', () => resolve(socket));
    ws.once('unexpected-response', (_request, response) => {
      reject(new UpgradeRejectedError(response.statusCode ?? 0));
      response.resume();
      ws.terminate();
    });
    // After open, errors end in 'close' (recorded above); before it, they fail the connect.
    ws.on('error', (error) => reject(error));
  });
}

/** The HTTP status with which the server refused an upgrade (fails if it was accepted). */
export async function upgradeStatus(url: string, headers: Record<string, string> = {}): Promise<number> {
  try {
    const socket = await connectSocket(url, headers);
    socket.ws.terminate();
  } catch (error) {
    if (error instanceof UpgradeRejectedError) return error.status;
    throw error;
  }
  throw new Error(`expected ${url} to refuse the upgrade, but it was accepted`);
}
