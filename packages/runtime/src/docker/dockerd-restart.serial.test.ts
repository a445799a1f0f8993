import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { StudioState } from '@studios/protocol';
import { emptyAgentFolders, waitFor } from '@studios/testkit';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RuntimeEvent } from '../driver';
import { makeWorkspace, removeWorkspace, sh, uniqueStudioId } from '../testing/docker-fixture';
import { dockerAnswers } from './connection';
import { DockerDriver } from './docker-driver';

const execFileAsync = promisify(execFile);
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
const DOCKERD_PID_FILE = '/var/run/docker.pid';

/** True while any dockerd process exists, zombies included (as `pgrep -x dockerd` in ensure-docker.sh sees it). */
async function dockerdExists(): Promise<boolean> {
  return execFileAsync('pgrep', ['-x', 'dockerd']).then(
    () => true,
    () => false,
  );
}

/** Starts dockerd the way `npm test` does (a no-op when it answers already). */
async function ensureDocker(): Promise<void> {
  await execFileAsync('bash', [resolve(repoRoot, 'scripts/setup/ensure-docker.sh')], {
    cwd: repoRoot,
    timeout: 120_000,
  });
}

// Restarts the host's dockerd: a serial test (vitest.serial.config.ts), never beside other Docker tests.
// Stopping and starting dockerd needs root, as the rest of `npm test`'s Docker set-up does.
describe('DockerDriver across a dockerd restart', () => {
  const docker = new Docker({ socketPath: '/var/run/docker.sock' });
  const driver = new DockerDriver({ agent: emptyAgentFolders() });
  // A second instance that only listens, as a server process would: it learns everything from
  // the engine's event stream, which must reconnect after the restart.
  const observer = new DockerDriver({ agent: emptyAgentFolders() });
  const studioId = uniqueStudioId('restart');
  const observed: RuntimeEvent[] = [];
  let workspace = '';
  let stateAfterRestart: StudioState = 'stopped';

  const lastObserved = () => observed.at(-1)?.status.state;

  beforeAll(async () => {
    if (process.getuid?.() !== 0) {
      throw new Error('This test restarts dockerd and must run as root (npm test sets Docker up as root).');
    }
    await ensureDocker();
    const info = (await docker.info()) as { LiveRestoreEnabled?: boolean };
    // Without live-restore, containers stop with the daemon (and Studios have no restart policy).
    stateAfterRestart = info.LiveRestoreEnabled ? 'running' : 'stopped';
    workspace = await makeWorkspace();
    observer.onEvent((event) => {
      if (event.studioId === studioId) observed.push(event);
    });
    await driver.ensure({ studioId, workspaceDir: workspace, machine: driver.catalog.get('cpu-small') });
  }, 150_000);

  afterAll(async () => {
    // Whatever happened above, leave a running engine behind for everything after this test.
    await ensureDocker();
    await driver.remove(studioId);
    await driver.dispose();
    await observer.dispose();
    await removeWorkspace(workspace);
    const leftovers = await docker.listContainers({
      all: true,
      filters: { label: [`io.studios.studio=${studioId}`] },
    });
    const networks = await docker.listNetworks({ filters: { name: [`studios-${studioId}`] } });
    expect({ leftovers, networks }).toEqual({ leftovers: [], networks: [] });
  }, 150_000);

  it('starts a Studio and writes to its workspace', { timeout: 60_000 }, async () => {
    await driver.start(studioId);
    expect(await sh(driver, studioId, 'echo before-restart > /workspace/restart.txt')).toEqual({
      code: 0,
      stdout: '',
      stderr: '',
    });
    await waitFor(() => lastObserved() === 'running', { what: 'observer sees the Studio running' });
  });

  it('stops dockerd gracefully and starts it again', { timeout: 150_000 }, async () => {
    const pid = Number((await readFile(DOCKERD_PID_FILE, 'utf8')).trim());
    expect(pid).toBeGreaterThan(1);
    process.kill(pid, 'SIGTERM');
    // ensure-docker.sh only waits for (never starts) a dockerd it still finds, even an unreaped
    // zombie: let the old one disappear completely first.
    await waitFor(async () => !(await dockerAnswers({}, 1000)) && !(await dockerdExists()), {
      what: 'dockerd to stop',
      timeoutMs: 60_000,
      intervalMs: 200,
    });
    await ensureDocker();
    expect(await dockerAnswers()).toBe(true);
  });

  it('reports the Studio state the engine has after the restart', { timeout: 60_000 }, async () => {
    await waitFor(async () => (await driver.status(studioId)).state === stateAfterRestart, {
      what: `status() to report ${stateAfterRestart}`,
      timeoutMs: 30_000,
      intervalMs: 200,
    });
    await waitFor(() => lastObserved() === stateAfterRestart, {
      what: `observer to be told ${stateAfterRestart}`,
      timeoutMs: 30_000,
      intervalMs: 100,
    });
  });

  it('starts the Studio again, with its workspace intact', { timeout: 90_000 }, async () => {
    const eventsBefore = observed.length;
    await driver.start(studioId);
    expect((await driver.status(studioId)).state).toBe('running');
    expect(await sh(driver, studioId, 'cat /workspace/restart.txt')).toEqual({
      code: 0,
      stdout: 'before-restart\n',
      stderr: '',
    });
    if (stateAfterRestart === 'stopped') {
      // Only the reconnected event stream can tell the observer that the Studio runs again.
      await waitFor(() => observed.slice(eventsBefore).some((event) => event.status.state === 'running'), {
        what: 'observer sees the restarted Studio running (reconnected event stream)',
        timeoutMs: 30_000,
      });
    }
  });
});
