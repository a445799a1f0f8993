import { createReadStream, createWriteStream } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import http from 'node:http';
import { join, normalize, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';

/**
 * The floor of S11's transfers: the same bytes as `GET/PUT /api/studios/:id/files/content`,
 * served by a plain Node HTTP server that reads and writes the host file itself: no framework,
 * no auth, no agent. An upload goes to a temp file renamed into place, as the agent's atomic
 * write does; a download streams the file with its Content-Length. `?path=` is relative to `root`.
 */
export function createHostFileServer(root: string): http.Server {
  return http.createServer((request, response) => {
    void serve(root, request, response).catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain' });
      response.end(String(error));
    });
  });
}

async function serve(root: string, request: http.IncomingMessage, response: http.ServerResponse) {
  const url = new URL(request.url ?? '/', 'http://floor');
  const file = url.pathname === '/files/content' ? insideRoot(root, url.searchParams.get('path')) : null;
  if (!file) {
    // Readiness probes and wrong paths alike get a short answer.
    response.writeHead(url.pathname === '/' ? 200 : 404, { 'content-type': 'text/plain' });
    response.end('host file floor\n');
    return;
  }
  if (request.method === 'PUT') {
    const temp = `${file}.floor-${process.pid}.tmp`;
    try {
      await pipeline(request, createWriteStream(temp));
      await rename(temp, file);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
    const written = await stat(file);
    response.writeHead(201, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ path: url.searchParams.get('path'), size: written.size }));
    return;
  }
  if (request.method === 'GET') {
    const info = await stat(file);
    response.writeHead(200, {
      'content-type': 'application/octet-stream',
      'content-length': String(info.size),
    });
    await pipeline(createReadStream(file), response);
    return;
  }
  response.writeHead(405, { 'content-type': 'text/plain' });
  response.end('GET or PUT\n');
}

/** The absolute file for a relative `?path=`, or null when it is missing or leaves `root`. */
function insideRoot(root: string, relative: string | null): string | null {
  if (!relative) return null;
  const absolute = normalize(join(root, relative));
  return absolute.startsWith(root.endsWith(sep) ? root : root + sep) ? absolute : null;
}
