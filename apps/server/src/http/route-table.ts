import { ErrorCode, StudiosError, type ValidationIssue } from '@studios/protocol';
import type { Context, Hono } from 'hono';
import type { z } from 'zod';
import { errors } from '../errors';
import type { AppEnv } from './app-env';

type Method = 'get' | 'post' | 'patch' | 'put' | 'delete';
type Awaitable<T> = T | Promise<T>;
type Input<B> = B extends z.ZodType ? z.output<B> : undefined;
// Without a response schema the result is ignored (204), so any return value is fine.
type Output<R> = R extends z.ZodType ? z.input<R> : unknown;

/** One API route: its documentation (for OpenAPI) and its handler, defined together. */
export interface ApiRoute {
  method: Method;
  /** Path below `/api`, Hono syntax (`/studios/:id`). */
  path: string;
  summary: string;
  tag: string;
  /** Whether a session cookie or token is required (enforced before the body is read; documented). */
  auth: boolean;
  body: z.ZodType | undefined;
  response: z.ZodType | undefined;
  status: 200 | 201 | 204;
  handler: (c: Context<AppEnv>, body: unknown) => Awaitable<unknown>;
}

/**
 * Defines a route whose body is validated with `body` (strict zod schemas from
 * `@studios/protocol`) and whose result is sent as JSON with `status` (nothing for 204).
 */
export function defineRoute<
  B extends z.ZodType | undefined = undefined,
  R extends z.ZodType | undefined = undefined,
>(route: {
  method: Method;
  path: string;
  summary: string;
  tag: string;
  auth?: boolean;
  body?: B;
  response?: R;
  status?: 200 | 201 | 204;
  handler: (c: Context<AppEnv>, body: Input<B>) => Awaitable<Output<R>>;
}): ApiRoute {
  return {
    method: route.method,
    path: route.path,
    summary: route.summary,
    tag: route.tag,
    auth: route.auth ?? true,
    body: route.body,
    response: route.response,
    status: route.status ?? (route.response ? 200 : 204),
    handler: route.handler as ApiRoute['handler'],
  };
}

/** Turns zod issues into the wire `ValidationIssue` shape. */
export function toValidationIssues(error: z.ZodError): ValidationIssue[] {
  return error.issues.map((issue) => ({
    path: issue.path.filter((key): key is string | number => typeof key !== 'symbol'),
    message: issue.message,
  }));
}

/** Reads and validates a JSON body; malformed JSON or a schema mismatch is a 400. */
export async function readJsonBody<S extends z.ZodType>(c: Context<AppEnv>, schema: S): Promise<z.output<S>> {
  const text = await c.req.text();
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new StudiosError(ErrorCode.InvalidRequest, 'The request body must be valid JSON', {
      details: { issues: [{ path: [], message: 'Invalid JSON' }] },
    });
  }
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new StudiosError(ErrorCode.InvalidRequest, 'The request body is not valid', {
      details: { issues: toValidationIssues(result.error) },
    });
  }
  return result.data;
}

/** Registers routes on a Hono app (mounted at `/api`). */
export function registerRoutes(app: Hono<AppEnv>, routes: readonly ApiRoute[]): void {
  for (const route of routes) {
    app.on(route.method.toUpperCase(), route.path, async (c) => {
      // Anonymous callers get 401 before their body is parsed or described back to them.
      if (route.auth && !c.get('user')) throw errors.unauthorized();
      const body = route.body ? await readJsonBody(c, route.body) : undefined;
      const result = await route.handler(c, body);
      if (route.status === 204) return c.body(null, 204);
      return c.json(result, route.status);
    });
  }
}
