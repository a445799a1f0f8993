import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { MachineType, StudioEvent } from '@studios/protocol';
import { DockerDriver, MachineCatalog } from '@studios/runtime';
import { tempDir, waitFor } from '@studios/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Account,
  callAs,
  type ListeningTestServer,
  runtimeStatuses,
  StudioTracker,
  signUp,
  startTestServer,
} from '../../testing';
import { type RuntimeFeature, runtimeFeature } from './index';
import { IMAGE_BUILD_MESSAGE } from './runtime-controller';

const run = promisify(execFile);
const suffix = randomBytes(4).toString('hex');
// studios/base:* is what the real build script can build; these tags share the real image's layers,
// so removing them afterwards only untags.
const BUILT = `studios/base:e2e-build-${suffix}`;
const FAILING = `studios/base:e2e-fail-${suffix}`;

/**
 * Stands in for docker/build-images.sh: same contract (STUDIOS_BASE_IMAGE in, `studios-build:`
 * lines out, reason on stderr), but "builds" by tagging the existing base image. It waits for a
 * go file so the test can have two Studios waiting on one build.
 */
const FAKE_BUILD_SCRIPT = `#!/usr/bin/env bash
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
echo "$STUDIOS_BASE_IMAGE" >>"$here/runs"
case "$STUDIOS_BASE_IMAGE" in *e2e-fail-*)
  echo "studios-build: error: debootstrap failed (no network to deb.debian.org)" >&2
  exit 1
esac
for _ in $(seq 600); do [ -e "$here/go" ] && break; sleep 0.05; done
[ -e "$here/go" ] || { echo "studios-build: error: the test never said go" >&2; exit 1; }
echo "studios-build: step 1/3 debian:bookworm present"
echo "studios-build: step 2/3 building $STUDIOS_BASE_IMAGE"
docker tag studios/base:latest "$STUDIOS_BASE_IMAGE"
echo "studios-build: step 3/3 done: $STUDIOS_BASE_IMAGE"
`;

const machine = (id: string, image: string): MachineType => ({
  id,
  label: id,
  cpus: 1,
  memoryMb: 512,
  pids: 128,
  gpus: 0,
  image,
});

// A missing image is built on first start, with progress, on the real engine.
describe('runtime feature: building a missing Studio image', () => {
  const machineTypes = [machine('e2e-build', BUILT), machine('e2e-fail', FAILING)];
  const studios = new StudioTracker();
  const scripts = tempDir('studios-build-');
  const scriptDir = scripts.dir;
  let driver: DockerDriver;
  let t: ListeningTestServer;
  let alice: Account;

  const post = (path: string, body?: unknown) => callAs(t, alice, 'POST', path, body);
  const createStudio = (machineType: string) => studios.create(t, alice, { name: 'S', machineType });
  const buildProgress = (events: StudioEvent[]) =>
    events.flatMap((event) =>
      event.type === 'progress' && event.operation === 'image-build'
        ? [{ message: event.message, fraction: event.fraction }]
        : [],
    );

  beforeAll(async () => {
    await writeFile(join(scriptDir, 'build.sh'), FAKE_BUILD_SCRIPT, { mode: 0o755 });
    t = await startTestServer({
      runtime: (agent) => {
        driver = new DockerDriver({
          catalog: new MachineCatalog(machineTypes),
          buildScript: join(scriptDir, 'build.sh'),
          agent,
        });
        return driver;
      },
      features: [runtimeFeature()],
      config: { runtime: 'docker', idleMinutes: 0, machineTypes },
    });
    alice = await signUp(t);
  });

  afterAll(async () => {
    studios.closeSockets();
    // Stops a build a failed test left waiting, so no Studio starts after the clean-up.
    await driver?.dispose();
    await t?.close();
    for (const studioId of studios.studioIds) await driver?.remove(studioId).catch(() => {});
    for (const image of [BUILT, FAILING]) await run('docker', ['image', 'rm', image]).catch(() => {});
    scripts.cleanup();
  });

  it('builds the image once for two Studios starting together, relaying its progress to both', {
    timeout: 60_000,
  }, async () => {
    const first = await createStudio('e2e-build');
    const second = await createStudio('e2e-build');
    expect((await post(`/api/studios/${first.studio.id}/start`)).status).toBe(202);
    expect((await post(`/api/studios/${second.studio.id}/start`)).status).toBe(202);
    for (const { events } of [first, second]) {
      await waitFor(() => runtimeStatuses(events).some((status) => status.message === IMAGE_BUILD_MESSAGE));
    }
    await waitFor(() => existsSync(join(scriptDir, 'runs')));
    await writeFile(join(scriptDir, 'go'), '');

    for (const { studio, events } of [first, second]) {
      await waitFor(() => runtimeStatuses(events).some((status) => status.state === 'running'), {
        timeoutMs: 30_000,
      });
      expect(buildProgress(events)).toEqual([
        { message: `Building the Studio image ${BUILT}`, fraction: 0 },
        { message: 'Step 1 of 3: debian:bookworm present', fraction: 1 / 3 },
        { message: `Step 2 of 3: building ${BUILT}`, fraction: 2 / 3 },
        { message: `Step 3 of 3: done: ${BUILT}`, fraction: 1 },
      ]);
      expect(runtimeStatuses(events).map(({ state, message }) => ({ state, message }))).toEqual([
        { state: 'starting', message: undefined },
        { state: 'starting', message: IMAGE_BUILD_MESSAGE },
        { state: 'starting', message: undefined },
        { state: 'running', message: undefined },
      ]);
      expect((await driver.status(studio.id)).state).toBe('running');
    }
    expect((await readFile(join(scriptDir, 'runs'), 'utf8')).trim().split('\n')).toEqual([BUILT]);
  });

  it("puts the Studio in error with the build script's reason and leaves the files alone", {
    timeout: 30_000,
  }, async () => {
    const { studio, events } = await createStudio('e2e-fail');
    const file = join(t.server.services.studios.workspaceDir(studio.id), 'notes.txt');
    await writeFile(file, 'keep me');
    expect((await post(`/api/studios/${studio.id}/start`)).status).toBe(202);
    const failed = await waitFor(() => runtimeStatuses(events).find((status) => status.state === 'error'), {
      timeoutMs: 20_000,
    });
    expect(failed.message).toBe(
      `Building the Studio image ${FAILING} failed: debootstrap failed (no network to deb.debian.org). ` +
        'Fix that on the host (or run scripts/setup/ensure-images.sh as root to see the whole build), ' +
        'then start the Studio again.',
    );
    expect(await readFile(file, 'utf8')).toBe('keep me');
    const runtime = t.server.features.find((feature) => feature.name === 'runtime') as RuntimeFeature;
    expect(runtime.controller.status(studio.id)).toMatchObject({ state: 'error', message: failed.message });
  });
});
