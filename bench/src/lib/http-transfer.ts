import http from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/**
 * The bench's one HTTP file client, used unchanged against Studios and against the floor, so
 * that whatever it costs lands on both sides. Plain `node:http` rather than fetch: undici's
 * per-chunk overhead would be a large share of a loopback transfer and hide the servers' own.
 * Each call opens its own connection (no keep-alive pool carried between contenders).
 */

/** Sends `chunks` as one PUT body (Content-Length set) and resolves with the response text. */
export async function uploadBytes(
  url: string,
  headers: Readonly<Record<string, string>>,
  chunks: readonly Uint8Array[],
): Promise<string> {
  const length = chunks.reduce((total, chunk) => total + chunk.byteLength, 0);
  const request = http.request(url, {
    method: 'PUT',
    agent: false,
    headers: { ...headers, 'content-type': 'application/octet-stream', 'content-length': String(length) },
  });
  const answered = new Promise<http.IncomingMessage>((resolve, reject) => {
    request.once('response', resolve);
    request.once('error', reject);
  });
  // The server may answer (e.g. 413) before reading everything: the answer then says why.
  const sent = pipeline(Readable.from(chunks, { objectMode: false }), request);
  const response = await answered;
  const body = await readText(response);
  await sent.catch((error: unknown) => {
    if (okStatus(response.statusCode)) throw error;
  });
  if (!okStatus(response.statusCode)) throw new Error(`PUT ${url} → HTTP ${response.statusCode}: ${body}`);
  return body;
}

/** GETs `url` and resolves with how many body bytes arrived (read and dropped as they come). */
export async function downloadBytes(url: string, headers: Readonly<Record<string, string>>): Promise<number> {
  const response = await new Promise<http.IncomingMessage>((resolve, reject) => {
    const request = http.get(url, { agent: false, headers }, resolve);
    request.once('error', reject);
  });
  if (!okStatus(response.statusCode)) {
    throw new Error(`GET ${url} → HTTP ${response.statusCode}: ${await readText(response)}`);
  }
  let received = 0;
  for await (const chunk of response as AsyncIterable<Buffer>) received += chunk.length;
  return received;
}

function okStatus(status: number | undefined): boolean {
  return status !== undefined && status >= 200 && status < 300;
}

async function readText(response: http.IncomingMessage): Promise<string> {
  const parts: Buffer[] = [];
  for await (const chunk of response as AsyncIterable<Buffer>) parts.push(chunk);
  return Buffer.concat(parts).toString('utf8');
}
