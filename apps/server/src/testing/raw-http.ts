import { request as httpRequest } from 'node:http';

export interface RawResponse {
  status: number;
  /** Set when the server switched protocols (a WebSocket upgrade was accepted). */
  upgraded: boolean;
  body: string;
}

export interface RawRequest {
  method?: string;
  path: string;
  /** Sent as given, including `host`, which fetch does not let a caller set. */
  headers?: Record<string, string | string[]> | Array<[string, string]>;
  body?: string | Buffer;
  /** Declares this Content-Length and sends only `body` (to test limits without sending them). */
  declaredLength?: number;
}

/**
 * One HTTP/1.1 request with full control of the headers, for Host spoofing, header floods and
 * declared-but-unsent bodies. Resolves on the response (or upgrade); the socket is then dropped.
 */
export function rawHttp(baseUrl: string, request: RawRequest): Promise<RawResponse> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const headers = Array.isArray(request.headers) ? request.headers.flat() : (request.headers ?? {});
    const req = httpRequest({
      host: url.hostname,
      port: url.port,
      method: request.method ?? 'GET',
      path: request.path,
      headers: headers as Record<string, string>,
      setHost: !hasHost(request.headers),
    });
    if (request.declaredLength !== undefined) req.setHeader('content-length', request.declaredLength);
    req.on('response', (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        resolve({
          status: response.statusCode ?? 0,
          upgraded: false,
          body: Buffer.concat(chunks).toString(),
        });
        req.destroy();
      });
      response.on('error', reject);
    });
    req.on('upgrade', (response, socket) => {
      socket.destroy();
      resolve({ status: response.statusCode ?? 0, upgraded: true, body: '' });
    });
    req.on('error', reject);
    if (request.body !== undefined) req.write(request.body);
    if (request.declaredLength === undefined) req.end();
  });
}

function hasHost(headers: RawRequest['headers']): boolean {
  if (!headers) return false;
  const names = Array.isArray(headers) ? headers.map(([name]) => name) : Object.keys(headers);
  return names.some((name) => name.toLowerCase() === 'host');
}

/** Headers that make a request a WebSocket upgrade. */
export const UPGRADE_HEADERS: Record<string, string> = {
  connection: 'Upgrade',
  upgrade: 'websocket',
  'sec-websocket-version': '13',
  'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
};
