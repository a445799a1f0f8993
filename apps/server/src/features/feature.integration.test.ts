import type { Studio } from '@studios/protocol';
import { Hono } from 'hono';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { AppEnv } from '../http/app-env';
import { requireStudioRole } from '../http/authenticate';
import { defineRoute } from '../http/route-table';
import { createTestServer, jsonInit, signUp, type TestServer } from '../testing';
import type { Feature, FeatureContext } from './feature';

let t: TestServer | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

describe('feature plug-ins', () => {
  it('mounts routes, runs lifecycle hooks, and hears about deletions before the row is gone', async () => {
    const calls: string[] = [];
    let context: FeatureContext | undefined;
    const factory = (ctx: FeatureContext): Feature => {
      context = ctx;
      const routes = new Hono<AppEnv>();
      routes.get('/studios/:id/ping', (c) => {
        const { role } = requireStudioRole(c, c.req.param('id'), 'editor');
        return c.json({ pong: role });
      });
      return {
        name: 'probe',
        routes,
        apiRoutes: [
          defineRoute({
            method: 'post',
            path: '/studios/:id/echo',
            tag: 'probe',
            summary: 'Echo',
            body: z.strictObject({ text: z.string() }),
            response: z.object({ text: z.string() }),
            handler: (c, body) => {
              requireStudioRole(c, c.req.param('id') as string, 'viewer');
              return { text: body.text };
            },
          }),
        ],
        bodyLimits: [{ pattern: '/api/studios/:studioId/echo', maxBytes: 32 }],
        start: async () => void calls.push('start'),
        stop: async () => void calls.push('stop'),
        onStudioDeleted: async (studioId) => {
          calls.push(`deleted:${ctx.studios.get(studioId) ? 'row-present' : 'row-gone'}`);
        },
      };
    };
    t = await createTestServer({ features: [factory] });
    expect(calls).toEqual(['start']);
    const alice = await signUp(t);
    const studio = (await (
      await t.request('/api/studios', jsonInit('POST', { name: 'S' }, alice))
    ).json()) as Studio;

    const ping = await t.request(`/api/studios/${studio.id}/ping`, jsonInit('GET', undefined, alice));
    expect(await ping.json()).toEqual({ pong: 'owner' });
    const stranger = await signUp(t);
    expect(
      (await t.request(`/api/studios/${studio.id}/ping`, jsonInit('GET', undefined, stranger))).status,
    ).toBe(404);
    expect((await t.request(`/api/studios/${studio.id}/ping`)).status).toBe(401);

    const echo = await t.request(`/api/studios/${studio.id}/echo`, jsonInit('POST', { text: 'hi' }, alice));
    expect(await echo.json()).toEqual({ text: 'hi' });
    const tooBig = await t.request(
      `/api/studios/${studio.id}/echo`,
      jsonInit('POST', { text: 'x'.repeat(40) }, alice),
    );
    expect(tooBig.status).toBe(413);
    const doc = (await (await t.request('/api/openapi.json')).json()) as { paths: Record<string, unknown> };
    expect(doc.paths['/api/studios/{id}/echo']).toBeDefined();

    expect(context?.studios.workspaceDir(studio.id)).toContain(studio.id);
    await t.request(`/api/studios/${studio.id}`, jsonInit('DELETE', undefined, alice));
    expect(calls).toEqual(['start', 'deleted:row-present']);
    await t.close();
    t = undefined;
    expect(calls).toEqual(['start', 'deleted:row-present', 'stop']);
  });
});
