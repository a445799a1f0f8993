import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Studio } from '@studios/protocol';
import { DockerDriver } from '@studios/runtime';
import { emptyAgentFolders, FakeClock, waitFor } from '@studios/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MACHINE_TYPES } from '../../config';
import {
  type Account,
  callAs,
  jsonInit,
  type ListeningTestServer,
  runtimeStatuses,
  StudioTracker,
  signUp,
  startTestServer,
} from '../../testing';
import { type RuntimeFeature, runtimeFeature } from './index';

// Failed starts and idle sleep, on the real engine with a fake clock for the idle timers.
describe('runtime feature: failures and idle sleep', () => {
  const clock = new FakeClock(Date.now());
  const inspector = new DockerDriver({ agent: emptyAgentFolders() });
  const studios = new StudioTracker();
  let t: ListeningTestServer;
  let alice: Account;

  const post = (path: string, body?: unknown) => callAs(t, alice, 'POST', path, body);
  const createStudio = (machineType: string) => studios.create(t, alice, { name: 'S', machineType });

  beforeAll(async () => {
    t = await startTestServer({
      clock,
      features: [runtimeFeature()],
      config: {
        runtime: 'docker',
        idleMinutes: 2,
        machineTypes: [
          ...DEFAULT_MACHINE_TYPES,
          {
            id: 'cpu-missing',
            label: 'Missing',
            cpus: 1,
            memoryMb: 512,
            pids: 64,
            gpus: 0,
            image: 'studios/missing:latest',
          },
        ],
      },
    });
    alice = await signUp(t);
  });

  afterAll(async () => {
    studios.closeSockets();
    for (const studioId of studios.studioIds) await inspector.remove(studioId).catch(() => {});
    await inspector.dispose();
    await t?.close();
  });

  it('reports a failed start as an error with a clear message and leaves the files alone', async () => {
    const { studio, events } = await createStudio('cpu-missing');
    const file = join(t.server.services.studios.workspaceDir(studio.id), 'notes.txt');
    await writeFile(file, 'keep me');
    expect((await post(`/api/studios/${studio.id}/start`)).status).toBe(202);
    const failed = await waitFor(() => runtimeStatuses(events).find((status) => status.state === 'error'));
    expect(failed.message).toBe(
      'The Studio image studios/missing:latest is not built on this host. Run scripts/setup/ensure-images.sh',
    );
    expect(await readFile(file, 'utf8')).toBe('keep me');
    const got = (await (
      await t.request(`/api/studios/${studio.id}`, jsonInit('GET', undefined, alice))
    ).json()) as Studio;
    expect(got.runtime).toMatchObject({ state: 'error', message: failed.message });
  });

  it('stays awake while a client is connected, then warns and stops after the idle time', {
    timeout: 60_000,
  }, async () => {
    const { studio, events } = await createStudio('cpu-small');
    const runtime = t.server.features.find((feature) => feature.name === 'runtime') as RuntimeFeature;
    const client = t.server.services.activity.connected(studio.id, 'test-client');
    expect((await post(`/api/studios/${studio.id}/start`)).status).toBe(202);
    await waitFor(() => runtimeStatuses(events).some((status) => status.state === 'running'), {
      timeoutMs: 30_000,
    });
    clock.advance(10 * 60_000);
    expect(runtime.controller.idle?.stopAt(studio.id)).toBeUndefined();

    client.dispose();
    const releasedAt = clock.now();
    clock.advance(60_000);
    await waitFor(() => events.some((event) => event.type === 'idle-warning'));
    // Events arrive in order: a warning sent while the client was connected would come first.
    expect(events.filter((event) => event.type === 'idle-warning')).toEqual([
      { type: 'idle-warning', stopAt: new Date(releasedAt + 120_000).toISOString() },
    ]);
    clock.advance(60_000);
    const stopped = await waitFor(
      () => runtimeStatuses(events).find((status) => status.state === 'stopped'),
      {
        timeoutMs: 20_000,
      },
    );
    expect(stopped.message).toBe('Stopped after 2 minutes without activity.');
    expect((await inspector.status(studio.id)).state).toBe('stopped');
  });
});
