import { ErrorCode, StudiosError } from '@studios/protocol';
import type { MiddlewareHandler } from 'hono';
import type { PathMatcher } from '../path-pattern';
import type { AppEnv } from './app-env';
import { authenticateHeaders } from './authenticate';
import { badHostError, isAllowedHost } from './host-guard';
import { isAllowedOrigin, STATE_CHANGING_METHODS } from './origin-guard';

/**
 * One JSON log line per request: method, path without its query string, status, duration and
 * user id. Never headers, cookies, tokens or query strings (they carry secrets).
 */
export const requestLog: MiddlewareHandler<AppEnv> = async (c, next) => {
  const { clock, log } = c.get('services');
  const started = clock.now();
  await next();
  log.info('request', {
    method: c.req.method,
    path: c.req.path,
    status: c.res.status,
    ms: clock.now() - started,
    userId: c.get('user')?.id,
  });
};

/**
 * Refuses every request whose Host is not a name this server answers to (DNS rebinding), before
 * anything else reads it: API, static files and the web app alike.
 */
export const hostGuard: MiddlewareHandler<AppEnv> = async (c, next) => {
  // Hono's own requests (`app.request('/path')`) carry no Host header; their URL has one.
  const host = c.req.header('host') ?? new URL(c.req.url).host;
  if (!isAllowedHost(host, c.get('services').config)) throw badHostError(host);
  await next();
};

/** Refuses state-changing requests whose Origin is not ours (cross-site request forgery). */
export const originGuard: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (STATE_CHANGING_METHODS.has(c.req.method)) {
    const host = c.req.header('host') ?? new URL(c.req.url).host;
    if (!isAllowedOrigin(c.req.header('origin'), host, c.get('services').config)) {
      throw new StudiosError(ErrorCode.BadOrigin, 'Requests from another site are not allowed');
    }
  }
  await next();
};

/** Sets `user` and `credential` when the request carries a valid token or session cookie. */
export const authenticate: MiddlewareHandler<AppEnv> = async (c, next) => {
  const principal = authenticateHeaders(c.get('services').auth, {
    authorization: c.req.header('authorization'),
    cookie: c.req.header('cookie'),
  });
  c.set('user', principal?.user);
  c.set('credential', principal?.credential);
  await next();
};

/** A per-path body limit, for routes (uploads) that accept more than the default. */
export interface BodyLimitRule {
  match: PathMatcher;
  maxBytes: number;
}

const tooLarge = (maxBytes: number) =>
  new StudiosError(ErrorCode.PayloadTooLarge, `The request body is larger than ${maxBytes} bytes`);

/**
 * Rejects bodies above the limit, by Content-Length up front and by counting the streamed bytes
 * otherwise, before any handler reads them.
 */
export function bodyLimit(
  defaultMaxBytes: number,
  rules: readonly BodyLimitRule[],
): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const raw = c.req.raw;
    if (!raw.body) return next();
    const maxBytes = rules.find((rule) => rule.match(c.req.path))?.maxBytes ?? defaultMaxBytes;
    const declared = raw.headers.get('content-length');
    if (declared !== null && !raw.headers.has('transfer-encoding')) {
      if (Number(declared) > maxBytes) throw tooLarge(maxBytes);
      return next();
    }
    const chunks: Uint8Array[] = [];
    let size = 0;
    const reader = raw.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel();
        throw tooLarge(maxBytes);
      }
      chunks.push(value);
    }
    c.req.raw = new Request(raw, { body: Buffer.concat(chunks) });
    await next();
  };
}

/** Content-Security-Policy for the web app: Monaco needs blob: workers and inline styles. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "worker-src 'self' blob:",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "frame-src 'self'",
  "frame-ancestors 'none'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join('; ');

/** The static page (apps/web/public) that renders notebook HTML, SVG and JavaScript outputs. */
export const NOTEBOOK_OUTPUT_FRAME_PATH = '/notebook-output-frame.html';

/**
 * The output frame's policy. `sandbox` gives the page an opaque origin even if it is opened
 * without the iframe's sandbox attribute (a new tab, a link): no cookies, storage or same-origin
 * requests to the IDE. Scripts may run (that is what outputs are for: inline and data:/blob:
 * URLs, eval for plotting libraries) but nothing is fetched from anywhere (connect/img/font
 * only data: and blob:), no form is submitted, and only the IDE may frame it.
 */
export const NOTEBOOK_OUTPUT_FRAME_POLICY = [
  'sandbox allow-scripts allow-popups',
  "default-src 'none'",
  "script-src 'unsafe-inline' 'unsafe-eval' data: blob:",
  "style-src 'unsafe-inline' data:",
  'img-src data: blob:',
  'font-src data:',
  'media-src data: blob:',
  "connect-src 'none'",
  "form-action 'none'",
  "base-uri 'none'",
  "frame-ancestors 'self'",
].join('; ');

/** nosniff everywhere; CSP, framing and referrer rules on HTML. */
export const securityHeaders: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next();
  c.res.headers.set('X-Content-Type-Options', 'nosniff');
  c.res.headers.set('Referrer-Policy', 'same-origin');
  if (c.res.headers.get('content-type')?.startsWith('text/html')) {
    const outputFrame = c.req.path === NOTEBOOK_OUTPUT_FRAME_PATH;
    c.res.headers.set(
      'Content-Security-Policy',
      outputFrame ? NOTEBOOK_OUTPUT_FRAME_POLICY : CONTENT_SECURITY_POLICY,
    );
    c.res.headers.set('X-Frame-Options', outputFrame ? 'SAMEORIGIN' : 'DENY');
  }
};
