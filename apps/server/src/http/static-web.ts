import { createReadStream, existsSync, statSync } from 'node:fs';
import { extname, join, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from './app-env';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

const MISSING_BUILD_PAGE = `<!doctype html><meta charset="utf-8"><title>Studios</title>
<h1>The Studios web app is not built yet</h1>
<p>Run <code>npm run build</code> (or <code>npm start</code>) in the repository, or point
<code>STUDIOS_WEB_DIST</code> at a built <code>apps/web/dist</code>, then reload.</p>
<p>The API is up: <a href="/api/health">/api/health</a>, <a href="/api/openapi.json">/api/openapi.json</a>.</p>`;

function fileResponse(path: string, method: string, cacheControl: string): Response {
  const size = statSync(path).size;
  const headers = {
    'Content-Type': CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream',
    'Content-Length': String(size),
    'Cache-Control': cacheControl,
  };
  if (method === 'HEAD') return new Response(null, { headers });
  return new Response(Readable.toWeb(createReadStream(path)) as ReadableStream, { headers });
}

/** The file under `root` that `pathname` names, or undefined (missing, a folder, or outside root). */
function resolveFile(root: string, pathname: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0')) return undefined;
  const path = resolve(join(root, decoded));
  if (path !== root && !path.startsWith(root + sep)) return undefined;
  return existsSync(path) && statSync(path).isFile() ? path : undefined;
}

/**
 * Serves the built web app for GET/HEAD outside `/api`: files as they are, hashed `/assets/*`
 * cached for a year, and every other path answered with index.html (client-side routing).
 */
export function staticWeb(webDist: string): MiddlewareHandler<AppEnv> {
  const root = resolve(webDist);
  return async (c, next) => {
    const method = c.req.method;
    if ((method !== 'GET' && method !== 'HEAD') || c.req.path === '/api' || c.req.path.startsWith('/api/')) {
      return next();
    }
    const index = join(root, 'index.html');
    if (!existsSync(index)) return c.html(MISSING_BUILD_PAGE, 200);
    const file = resolveFile(root, c.req.path);
    if (file) {
      const immutable = c.req.path.startsWith('/assets/');
      return fileResponse(file, method, immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
    }
    // A missing hashed asset is a 404, not the app shell (which would fail to parse as JS).
    if (c.req.path.startsWith('/assets/')) return c.text('Not found', 404);
    return fileResponse(index, method, 'no-cache');
  };
}
