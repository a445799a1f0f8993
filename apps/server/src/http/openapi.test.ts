import { describe, expect, it } from 'vitest';
import { createTestServer } from '../testing';

const CONTRACT: Array<[method: string, path: string, hasBody: boolean]> = [
  ['post', '/api/auth/signup', true],
  ['post', '/api/auth/login', true],
  ['post', '/api/auth/logout', false],
  ['get', '/api/me', false],
  ['get', '/api/tokens', false],
  ['post', '/api/tokens', true],
  ['delete', '/api/tokens/{id}', false],
  ['get', '/api/studios', false],
  ['post', '/api/studios', true],
  ['get', '/api/studios/{id}', false],
  ['patch', '/api/studios/{id}', true],
  ['delete', '/api/studios/{id}', false],
  ['get', '/api/studios/{id}/members', false],
  ['post', '/api/studios/{id}/members', true],
  ['patch', '/api/studios/{id}/members/{userId}', true],
  ['delete', '/api/studios/{id}/members/{userId}', false],
  ['get', '/api/machine-types', false],
  ['get', '/api/openapi.json', false],
  ['get', '/api/health', false],
];

type Operation = {
  requestBody?: {
    content: {
      'application/json': {
        schema: { properties?: Record<string, unknown>; additionalProperties?: unknown };
      };
    };
  };
  responses: Record<string, unknown>;
};

describe('GET /api/openapi.json', () => {
  it('documents every route with its request schema', async () => {
    const server = await createTestServer();
    try {
      const response = await server.request('/api/openapi.json');
      expect(response.status).toBe(200);
      const doc = (await response.json()) as {
        openapi: string;
        paths: Record<string, Record<string, Operation>>;
      };
      expect(doc.openapi).toBe('3.1.0');
      for (const [method, path, hasBody] of CONTRACT) {
        const operation = doc.paths[path]?.[method];
        expect(operation, `${method} ${path}`).toBeDefined();
        const schema = operation?.requestBody?.content['application/json'].schema;
        if (hasBody) {
          expect(schema?.properties, `${method} ${path} body`).toBeDefined();
          // Strict objects: unknown fields are rejected, and the document says so.
          expect(schema?.additionalProperties).toBe(false);
        } else {
          expect(schema).toBeUndefined();
        }
      }
      const signup = doc.paths['/api/auth/signup']?.post?.requestBody?.content['application/json'].schema;
      expect(Object.keys(signup?.properties ?? {}).sort()).toEqual(['email', 'name', 'password']);
      expect(doc.paths['/api/studios']?.post?.responses['201']).toBeDefined();
    } finally {
      await server.close();
    }
  });
});
