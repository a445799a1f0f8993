import { pipeline, Readable } from 'node:stream';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import type { Context } from 'hono';
import type { AppEnv } from './app-env';

/** What every response carries (http/middleware.ts adds them to the responses that go through Hono). */
const SECURITY_HEADERS = { 'x-content-type-options': 'nosniff', 'referrer-policy': 'same-origin' };

/**
 * Sends a Node stream as the response body. On the Node server it is piped straight into the
 * socket: going through a web ReadableStream (Readable.toWeb) costs a third of the download
 * throughput. Under `app.request()` (tests) there is no socket, so it becomes a Response.
 */
export function streamResponse(
  c: Context<AppEnv>,
  stream: Readable,
  status: number,
  headers: Record<string, string>,
): Response {
  const outgoing = c.env?.outgoing;
  if (!outgoing) {
    return new Response(Readable.toWeb(stream) as ReadableStream, {
      status,
      headers: { ...SECURITY_HEADERS, ...headers },
    });
  }
  outgoing.writeHead(status, { ...SECURITY_HEADERS, ...headers });
  // A client that goes away ends the read (and so the agent's channel) too.
  pipeline(stream, outgoing, () => {});
  return RESPONSE_ALREADY_SENT;
}
