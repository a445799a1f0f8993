import { ErrorCode, StudiosError } from '@studios/protocol';
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { z } from 'zod';
import { describeError } from '../logger';
import type { AppEnv, Services } from './app-env';
import { HTTP_STATUS } from './error-status';
import {
  authenticate,
  type BodyLimitRule,
  bodyLimit,
  hostGuard,
  originGuard,
  requestLog,
  securityHeaders,
} from './middleware';
import { buildOpenApiDocument } from './openapi';
import { type ApiRoute, defineRoute, registerRoutes } from './route-table';
import { authRoutes } from './routes/auth-routes';
import { studioRoutes } from './routes/studio-routes';
import { staticWeb } from './static-web';

/** Version reported in the OpenAPI document. */
export const API_VERSION = '0.1.0';

export interface CreateAppOptions {
  /** Sub-apps of features, mounted at /api after the core routes. */
  featureRoutes?: ReadonlyArray<Hono<AppEnv>>;
  /** Route-table routes of features: registered under /api and documented in OpenAPI. */
  featureApiRoutes?: readonly ApiRoute[];
  bodyLimits?: readonly BodyLimitRule[];
}

const metaRoutes = (documented: () => ApiRoute[]) => [
  defineRoute({
    method: 'get',
    path: '/health',
    tag: 'meta',
    summary: 'Liveness check',
    auth: false,
    response: z.object({ ok: z.literal(true) }),
    handler: () => ({ ok: true as const }),
  }),
  defineRoute({
    method: 'get',
    path: '/openapi.json',
    tag: 'meta',
    summary: 'This API as an OpenAPI 3.1 document',
    auth: false,
    response: z.record(z.string(), z.unknown()),
    handler: () => buildOpenApiDocument(documented(), { version: API_VERSION }),
  }),
];

/** Every route-table route (core first, then `extra`), in registration and documentation order. */
export function apiRoutes(extra: readonly ApiRoute[] = []): ApiRoute[] {
  const routes: ApiRoute[] = [];
  routes.push(...authRoutes, ...studioRoutes, ...extra, ...metaRoutes(() => routes));
  return routes;
}

/** The Hono app: middleware, core API, feature APIs, the web app, and the error edge. */
export function createApp(services: Services, options: CreateAppOptions = {}): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use('*', async (c, next) => {
    c.set('services', services);
    await next();
  });
  app.use('*', requestLog, securityHeaders, hostGuard);
  app.use(
    '/api/*',
    authenticate,
    originGuard,
    bodyLimit(services.config.maxBodyBytes, options.bodyLimits ?? []),
  );

  const api = new Hono<AppEnv>();
  registerRoutes(api, apiRoutes(options.featureApiRoutes));
  app.route('/api', api);
  for (const routes of options.featureRoutes ?? []) app.route('/api', routes);
  app.use('*', staticWeb(services.config.webDist));

  app.notFound((c) =>
    c.req.path === '/api' || c.req.path.startsWith('/api/')
      ? c.json(
          { code: ErrorCode.NotFound, message: `No API route ${c.req.method} ${c.req.path}` },
          HTTP_STATUS[ErrorCode.NotFound],
        )
      : c.text('Not found', 404),
  );
  // The HTTP edge of every StudiosError: its code's status from HTTP_STATUS, `{ code, message }`
  // plus `issues` and Retry-After from its details. A 5xx says nothing more than "internal":
  // what failed goes to the log.
  app.onError((error, c) => {
    const status = error instanceof StudiosError ? HTTP_STATUS[error.code] : 500;
    if (error instanceof StudiosError && status < 500) {
      const { issues, retryAfterSeconds } = error.details ?? {};
      const body = { code: error.code, message: error.message, ...(issues ? { issues } : {}) };
      const headers =
        retryAfterSeconds === undefined ? undefined : { 'Retry-After': String(retryAfterSeconds) };
      return c.json(body, status, headers);
    }
    if (error instanceof HTTPException && error.status < 500) {
      const code = error.status === 413 ? 'payload_too_large' : 'invalid_request';
      return c.json({ code, message: error.message || 'Invalid request' }, error.status);
    }
    services.log.error('unhandled error', {
      method: c.req.method,
      path: c.req.path,
      ...describeError(error),
    });
    return c.json({ code: 'internal', message: 'Something went wrong on the server' }, 500);
  });
  return app;
}
