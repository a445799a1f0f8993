import type { Studio, StudioEvent, StudioRuntimeStatus } from '@studios/protocol';
import { DockerDriver } from '@studios/runtime';
import { emptyAgentFolders, waitFor } from '@studios/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Account,
  callAs,
  createStudio,
  jsonInit,
  type ListeningTestServer,
  openStudioEvents,
  runtimeStatuses,
  signUp,
  startTestServer,
  type TestSocket,
} from '../../testing';
import { runtimeFeature } from './index';

// The real server with the runtime feature on the real Docker engine.
describe('runtime feature', () => {
  let t: ListeningTestServer;
  let alice: Account;
  let bob: Account;
  let studio: Studio;
  let events: TestSocket;
  const inspector = new DockerDriver({ agent: emptyAgentFolders() });

  const post = (path: string, who: Account, body?: unknown) => callAs(t, who, 'POST', path, body);
  const runtimeStates = () => runtimeStatuses(events.messages as StudioEvent[]).map((status) => status.state);

  beforeAll(async () => {
    t = await startTestServer({
      features: [runtimeFeature()],
      config: { runtime: 'docker', idleMinutes: 30 },
    });
    alice = await signUp(t);
    bob = await signUp(t);
    studio = await createStudio(t, alice, { name: 'Runtime', members: [[bob, 'viewer']] });
    events = await openStudioEvents(t, alice, studio.id);
  });

  afterAll(async () => {
    events?.ws.close();
    await inspector.remove(studio.id).catch(() => {});
    await inspector.dispose();
    await t?.close();
  });

  it('starts a Studio: 202 starting, then a running event, and the container exists', {
    timeout: 60_000,
  }, async () => {
    const response = await post(`/api/studios/${studio.id}/start`, alice);
    expect(response.status).toBe(202);
    expect(((await response.json()) as StudioRuntimeStatus).state).toBe('starting');
    await waitFor(() => runtimeStates().includes('running'), { timeoutMs: 30_000 });
    expect(runtimeStates().slice(0, 2)).toEqual(['starting', 'running']);
    expect((await inspector.status(studio.id)).state).toBe('running');
    const got = (await (
      await t.request(`/api/studios/${studio.id}`, jsonInit('GET', undefined, alice))
    ).json()) as Studio;
    expect(got.runtime.state).toBe('running');
    const running = (events.messages as StudioEvent[]).find(
      (event) => event.type === 'runtime' && event.status.state === 'running',
    );
    expect(running?.type === 'runtime' && Date.parse(running.status.idleStopAt ?? '')).toBeGreaterThan(
      Date.now(),
    );
    // Idempotent.
    expect((await post(`/api/studios/${studio.id}/start`, alice)).status).toBe(202);
  });

  it('lets a viewer wake but not stop the Studio', async () => {
    const stop = await post(`/api/studios/${studio.id}/stop`, bob);
    expect(stop.status).toBe(403);
    expect(((await stop.json()) as { code: string }).code).toBe('forbidden');
    expect((await post(`/api/studios/${studio.id}/start`, bob)).status).toBe(202);
  });

  it('refuses unknown machine types and GPU types on a host without GPUs; viewers cannot switch', async () => {
    const unknown = await post(`/api/studios/${studio.id}/machine`, alice, { machineType: 'huge-9' });
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as { code: string }).code).toBe('unknown_machine_type');
    const privileged = await post(`/api/studios/${studio.id}/machine`, alice, {
      machineType: 'cpu-small',
      privileged: true,
    });
    expect(privileged.status).toBe(400);
    const gpu = await post(`/api/studios/${studio.id}/machine`, alice, { machineType: 'gpu-1' });
    expect(gpu.status).toBe(409);
    expect(await gpu.json()).toMatchObject({
      code: 'gpu_unavailable',
      message: expect.stringMatching(/NVIDIA/),
    });
    expect((await post(`/api/studios/${studio.id}/machine`, bob, { machineType: 'cpu-large' })).status).toBe(
      403,
    );
    expect((await inspector.status(studio.id)).state).toBe('running');
  });

  it('stops the Studio: stopping, then stopped', { timeout: 30_000 }, async () => {
    events.messages.length = 0;
    const response = await post(`/api/studios/${studio.id}/stop`, alice);
    expect(response.status).toBe(202);
    await waitFor(() => runtimeStates().includes('stopped'), { timeoutMs: 20_000 });
    expect(runtimeStates()).toEqual(['stopping', 'stopped']);
    expect((await inspector.status(studio.id)).state).toBe('stopped');
    expect((await post(`/api/studios/${studio.id}/stop`, alice)).status).toBe(202);
  });

  it('removes the container and network when the Studio is deleted', { timeout: 30_000 }, async () => {
    expect((await inspector.list()).some((entry) => entry.studioId === studio.id)).toBe(true);
    const deleted = await t.request(
      `/api/studios/${studio.id}`,
      jsonInit('DELETE', undefined, { cookie: alice.cookie, origin: t.origin }),
    );
    expect(deleted.status).toBe(204);
    expect((await inspector.list()).some((entry) => entry.studioId === studio.id)).toBe(false);
  });
});
