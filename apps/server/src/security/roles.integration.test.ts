import { describe, expect, it } from 'vitest';
import { roleAtLeast } from '../services/roles';
import { type Account, connectSocket, upgradeStatus } from '../testing';
import {
  classifiedHttpRoutes,
  classifiedSocketRoutes,
  type HttpRoute,
  isStateChanging,
  sendSample,
} from '../testing/route-policy';
import { useSecurityFixture } from '../testing/security-fixture';
import { stateFingerprint } from '../testing/state-fingerprint';

const f = useSecurityFixture();

const studioRoutes = () =>
  classifiedHttpRoutes(f.t.server).filter(
    (route): route is HttpRoute & { policy: { access: 'viewer' | 'editor' | 'owner' } } =>
      route.policy.access !== 'public' && route.policy.access !== 'account',
  );

const answer = async (response: Response) => ({ status: response.status, body: await response.text() });

describe('Studio visibility', () => {
  it('answers a non-member on every Studio route exactly as for a Studio that does not exist (404)', async () => {
    const before = await stateFingerprint(f);
    const failures: string[] = [];
    for (const route of studioRoutes()) {
      const hidden = await answer(await sendSample(f, route, f.stranger));
      const missing = await answer(await sendSample(f, route, f.owner, { studioId: f.missingStudioId }));
      if (hidden.status !== 404 || JSON.stringify(hidden) !== JSON.stringify(missing)) {
        failures.push(
          `${route.key}: non-member ${JSON.stringify(hidden)} vs missing ${JSON.stringify(missing)}`,
        );
      }
    }
    expect(failures).toEqual([]);
    expect(await stateFingerprint(f)).toBe(before);
  });

  it('refuses a non-member on every socket route with 404, like a missing Studio', async () => {
    for (const route of classifiedSocketRoutes(f.t.server)) {
      const path = route.policy.sample(f);
      const headers = (who: Account) => ({ cookie: who.cookie, origin: f.t.origin });
      expect(await upgradeStatus(f.t.wsUrl(path), headers(f.stranger)), route.pattern).toBe(404);
      const missing = f.t.wsUrl(path.replace(f.studio.id, f.missingStudioId));
      expect(await upgradeStatus(missing, headers(f.owner)), route.pattern).toBe(404);
    }
    expect(f.t.server.sockets.openCount).toBe(0);
  });
});

describe('roles', () => {
  it('refuses every route above the caller’s role with 403 forbidden (viewer: mutations; editor: owner-only)', async () => {
    const before = await stateFingerprint(f);
    const failures: string[] = [];
    for (const [who, role] of [
      [f.viewer, 'viewer'],
      [f.editor, 'editor'],
    ] as const) {
      for (const route of studioRoutes()) {
        if (roleAtLeast(role, route.policy.access)) continue;
        const response = await sendSample(f, route, who);
        const body = (await response.json().catch(() => undefined)) as { code?: string } | undefined;
        if (response.status !== 403 || body?.code !== 'forbidden') {
          failures.push(`${route.key} as ${role}: ${response.status} ${JSON.stringify(body)}`);
        }
      }
    }
    expect(failures).toEqual([]);
    expect(await stateFingerprint(f)).toBe(before);
  });

  it('lists every state-changing Studio route a viewer may call, so an exception is a visible decision', () => {
    const viewerMutations = studioRoutes()
      .filter((route) => isStateChanging(route.method) && route.policy.access === 'viewer')
      .map((route) => route.key);
    expect(viewerMutations).toEqual(['POST /api/studios/:id/start']);
  });

  it('lets a viewer read every Studio read route, but those whose note says why not', async () => {
    const failures: string[] = [];
    for (const route of studioRoutes()) {
      if (route.method !== 'GET') continue;
      // A read above viewers is a visible decision with its reason (the refusal itself is
      // checked by "refuses every route above the caller's role").
      if (route.policy.access !== 'viewer') {
        expect(
          route.policy.note,
          `${route.key} is not open to viewers: say why in its policy note`,
        ).toBeTruthy();
        continue;
      }
      const response = await sendSample(f, route, f.viewer);
      if (response.status !== 200) failures.push(`${route.key}: ${response.status} ${await response.text()}`);
    }
    expect(failures).toEqual([]);
  });

  it('lets a viewer open every socket route', async () => {
    for (const route of classifiedSocketRoutes(f.t.server)) {
      const socket = await connectSocket(f.t.wsUrl(route.policy.sample(f)), {
        cookie: f.viewer.cookie,
        origin: f.t.origin,
      });
      expect(socket.closeEvent, route.pattern).toBeUndefined();
      socket.ws.terminate();
    }
  });
});
