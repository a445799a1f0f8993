import { ErrorBody } from '@studios/protocol';
import { z } from 'zod';
import type { ApiRoute } from './route-table';

type JsonObject = Record<string, unknown>;

const jsonContent = (schema: z.ZodType, io: 'input' | 'output') => ({
  'application/json': { schema: z.toJSONSchema(schema, { io, unrepresentable: 'any' }) },
});

const errorResponse = (description: string) => ({ description, content: jsonContent(ErrorBody, 'output') });

/** `/studios/:id` → `/studios/{id}` and its parameter list. */
function openApiPath(path: string): { path: string; parameters: JsonObject[] } {
  const parameters: JsonObject[] = [];
  const converted = path.replace(/:([A-Za-z0-9_]+)/g, (_match, name: string) => {
    parameters.push({ name, in: 'path', required: true, schema: { type: 'string' } });
    return `{${name}}`;
  });
  return { path: converted, parameters };
}

/**
 * An OpenAPI 3.1 document generated from the route table and the protocol's zod schemas,
 * so the published description cannot drift from what the server validates.
 */
export function buildOpenApiDocument(routes: readonly ApiRoute[], info: { version: string }): JsonObject {
  const paths: Record<string, JsonObject> = {};
  for (const route of routes) {
    const { path, parameters } = openApiPath(`/api${route.path}`);
    const responses: JsonObject = {
      [route.status]: route.response
        ? { description: 'Success', content: jsonContent(route.response, 'output') }
        : { description: 'Success' },
      '400': errorResponse('Invalid request (`invalid_request`, with `issues`)'),
    };
    responses['403'] = errorResponse(
      route.auth
        ? 'Role too low (`forbidden`), foreign Origin (`bad_origin`) or a Host this server does not answer to (`bad_host`)'
        : 'Foreign Origin (`bad_origin`) or a Host this server does not answer to (`bad_host`)',
    );
    if (route.auth) {
      responses['401'] = errorResponse('Not signed in (`unauthorized`)');
      responses['404'] = errorResponse('Not found, or not visible to the caller (`not_found`)');
    }
    const operation: JsonObject = {
      operationId: `${route.method}${path.replace(/[^A-Za-z0-9]+(.)?/g, (_m, c?: string) => (c ? c.toUpperCase() : ''))}`,
      summary: route.summary,
      tags: [route.tag],
      responses,
      ...(parameters.length > 0 ? { parameters } : {}),
      ...(route.auth ? {} : { security: [] }),
      ...(route.body ? { requestBody: { required: true, content: jsonContent(route.body, 'input') } } : {}),
    };
    paths[path] = { ...paths[path], [route.method]: operation };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Studios API', version: info.version },
    components: {
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: 'studios_session' },
        token: { type: 'http', scheme: 'bearer', description: 'An API token (`stu_…`)' },
      },
    },
    security: [{ session: [] }, { token: [] }],
    paths,
  };
}
