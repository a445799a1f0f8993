import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Studio, TokenCreated } from '@studios/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import {
  captureLogger,
  createTestServer,
  jsonInit,
  signUp,
  startTestServer,
  type TestServer,
  type TestServerOptions,
} from '../testing';

let t: TestServer | undefined;
const open = async (options?: TestServerOptions) => {
  t = await createTestServer(options);
  return t;
};
afterEach(async () => {
  await t?.close();
  t = undefined;
});

describe('request validation', () => {
  it('answers malformed JSON and wrong types with 400 invalid_request and issues', async () => {
    const server = await open();
    const { cookie } = await signUp(server);
    for (const body of ['{"name":', 'not json', '', '{"name": 5}', '{"name": "ok", "extra": 1}']) {
      const response = await server.request('/api/studios', {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie },
        body,
      });
      expect(response.status, body).toBe(400);
      const error = (await response.json()) as { code: string; issues: unknown[] };
      expect(error.code).toBe('invalid_request');
      expect(error.issues.length).toBeGreaterThan(0);
    }
    expect(server.server.services.studios.listForUser((await signUp(server)).user.id)).toEqual([]);
  });

  it('rejects oversized bodies with 413, by Content-Length and by streamed size', async () => {
    const server = await open({ config: { maxBodyBytes: 1024 } });
    const { cookie } = await signUp(server);
    const big = JSON.stringify({ name: 'x'.repeat(2000) });
    const declared = await server.request(
      '/api/studios',
      jsonInit('POST', { name: 'x'.repeat(2000) }, { cookie }),
    );
    expect(declared.status).toBe(413);
    expect(await declared.json()).toMatchObject({ code: 'payload_too_large' });
    const streamed = await server.request('/api/studios', {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: new ReadableStream({
        start(controller) {
          controller.enqueue(new TextEncoder().encode(big));
          controller.close();
        },
      }),
      duplex: 'half',
    } as RequestInit);
    expect(streamed.status).toBe(413);
    expect(await streamed.json()).toMatchObject({ code: 'payload_too_large' });
  });

  it('answers unknown API routes with JSON 404', async () => {
    const server = await open();
    const response = await server.request('/api/nope');
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ code: 'not_found' });
  });

  it('answers /api/health', async () => {
    const server = await open();
    const response = await server.request('/api/health');
    expect(await response.json()).toEqual({ ok: true });
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  });
});

describe('Origin guard', () => {
  it('refuses state-changing requests from a foreign Origin, even with a valid cookie', async () => {
    const server = await open();
    const { cookie } = await signUp(server);
    const evil = await server.request(
      '/api/studios',
      jsonInit('POST', { name: 'x' }, { cookie, origin: 'https://evil.example' }),
    );
    expect(evil.status).toBe(403);
    expect(await evil.json()).toMatchObject({ code: 'bad_origin' });
    const logout = await server.request(
      '/api/auth/logout',
      jsonInit('POST', undefined, { cookie, origin: 'null' }),
    );
    expect(logout.status).toBe(403);
    const same = await server.request(
      '/api/studios',
      jsonInit('POST', { name: 'x' }, { cookie, origin: 'http://localhost' }),
    );
    expect(same.status).toBe(201);
    const noOrigin = await server.request('/api/studios', jsonInit('POST', { name: 'y' }, { cookie }));
    expect(noOrigin.status).toBe(201);
    // Reads are not guarded (CORS already keeps their responses from other sites).
    const read = await server.request(
      '/api/studios',
      jsonInit('GET', undefined, { cookie, origin: 'https://evil.example' }),
    );
    expect(((await read.json()) as Studio[]).map((s) => s.name).sort()).toEqual(['x', 'y']);
  });

  it('checks the real Host header on a listening server, accepting the explicit default port', async () => {
    const server = await startTestServer();
    t = server;
    const { cookie } = await signUp(server);
    const ok = await server.request(
      '/api/studios',
      jsonInit('POST', { name: 'a' }, { cookie, origin: server.origin }),
    );
    expect(ok.status).toBe(201);
    const otherPort = server.origin.replace(/:\d+$/, ':1');
    const bad = await server.request(
      '/api/studios',
      jsonInit('POST', { name: 'b' }, { cookie, origin: otherPort }),
    );
    expect(bad.status).toBe(403);
  });
});

describe('logging', () => {
  it('logs requests without cookies, tokens or query strings', async () => {
    const { log, lines } = captureLogger();
    const server = await open({ log });
    const { cookie, email, password } = await signUp(server);
    const secret = cookie.split('=')[1] as string;
    const created = await server.request('/api/tokens', jsonInit('POST', { name: 'cli' }, { cookie }));
    const { token } = (await created.json()) as TokenCreated;
    await server.request(`/api/me?token=${token}`, jsonInit('GET', undefined, { token }));
    await server.request('/api/auth/login', jsonInit('POST', { email, password: 'wrong password' }));
    await server.request('/api/auth/login', jsonInit('POST', { email, password }));
    await server.request(
      '/api/tokens',
      jsonInit('POST', { name: 'x' }, { cookie, origin: 'https://evil.example' }),
    );

    const output = lines.join('\n');
    expect(lines.length).toBeGreaterThanOrEqual(6);
    const me = lines.map((line) => JSON.parse(line)).find((entry) => entry.path === '/api/me');
    expect(me).toMatchObject({ msg: 'request', method: 'GET', path: '/api/me', status: 200 });
    expect(typeof me.ms).toBe('number');
    expect(typeof me.userId).toBe('string');
    for (const forbidden of [secret, token, token.slice(4), password, 'wrong password', 'token=']) {
      expect(output).not.toContain(forbidden);
    }
  });
});

describe('static web app', () => {
  it('explains how to build the app when dist is missing', async () => {
    const server = await open();
    const response = await server.request('/');
    expect(response.status).toBe(200);
    expect(await response.text()).toMatch(/npm run build/);
    expect(response.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
  });

  it('serves files, caches hashed assets, and falls back to index.html for app routes', async () => {
    const server = await open();
    const dist = join(server.dataDir, 'no-web-dist');
    mkdirSync(join(dist, 'assets'), { recursive: true });
    writeFileSync(join(dist, 'index.html'), '<!doctype html><div id="root"></div>');
    writeFileSync(join(dist, 'assets', 'app-abc123.js'), 'console.log(1)');
    writeFileSync(join(server.dataDir, 'secret.txt'), 'outside');

    const asset = await server.request('/assets/app-abc123.js');
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toMatch(/javascript/);
    expect(asset.headers.get('cache-control')).toMatch(/immutable/);
    expect(await asset.text()).toBe('console.log(1)');

    const route = await server.request('/studios/abc/files');
    expect(route.status).toBe(200);
    expect(route.headers.get('content-type')).toMatch(/text\/html/);
    expect(route.headers.get('cache-control')).toBe('no-cache');
    expect(route.headers.get('content-security-policy')).toBeTruthy();
    expect(await route.text()).toContain('id="root"');

    expect((await server.request('/assets/missing.js')).status).toBe(404);
    const traversal = await server.request('/..%2fsecret.txt');
    expect(await traversal.text()).not.toContain('outside');
  });
});
