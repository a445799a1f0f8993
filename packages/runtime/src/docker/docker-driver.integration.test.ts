import { emptyAgentFolders, waitFor } from '@studios/testkit';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RuntimeEvent } from '../driver';
import { isRuntimeError } from '../runtime-error';
import { makeWorkspace, removeWorkspace, run, sh, uniqueStudioId } from '../testing/docker-fixture';
import { DockerDriver } from './docker-driver';

// One Studio walks through its whole life; the steps depend on each other, so they run in order.
describe('DockerDriver on the real engine', () => {
  const docker = new Docker({ socketPath: '/var/run/docker.sock' });
  const driver = new DockerDriver({ agent: emptyAgentFolders() });
  const studioId = uniqueStudioId();
  const events: RuntimeEvent[] = [];
  let workspace = '';

  beforeAll(async () => {
    workspace = await makeWorkspace();
    driver.onEvent((event) => {
      if (event.studioId === studioId) events.push(event);
    });
    await driver.ensure({ studioId, workspaceDir: workspace, machine: driver.catalog.get('cpu-small') });
  });

  afterAll(async () => {
    await driver.remove(studioId);
    await driver.dispose();
    await removeWorkspace(workspace);
    const leftovers = await docker.listContainers({
      all: true,
      filters: { label: [`io.studios.studio=${studioId}`] },
    });
    const snapshots = await docker.listImages({ filters: { reference: [`studios-snapshot/${studioId}`] } });
    const networks = await docker.listNetworks({ filters: { name: [`studios-${studioId}`] } });
    expect({ leftovers, snapshots, networks }).toEqual({ leftovers: [], snapshots: [], networks: [] });
  });

  it('creates a stopped Studio and starts it', async () => {
    expect(await driver.status(studioId)).toEqual({ state: 'stopped', machineTypeId: 'cpu-small' });
    await driver.start(studioId);
    expect((await driver.status(studioId)).state).toBe('running');
    await waitFor(() => events.some((event) => event.status.state === 'running'), { what: 'running event' });
    // Idempotent.
    await driver.start(studioId);
    await driver.ensure({ studioId, workspaceDir: workspace, machine: driver.catalog.get('cpu-small') });
  });

  it('runs processes: exit code, separate stdout and stderr, stdin', async () => {
    const result = await sh(driver, studioId, 'echo out; echo err >&2; exit 3');
    expect(result).toEqual({ code: 3, stdout: 'out\n', stderr: 'err\n' });
    expect(await run(driver, studioId, ['cat'], { stdin: 'from stdin' })).toEqual({
      code: 0,
      stdout: 'from stdin',
      stderr: '',
    });
    const who = await sh(driver, studioId, 'id -u; pwd; hostname');
    expect(who.stdout).toBe('1000\n/workspace\nstudio\n');
  });

  it('runs a TTY process at its initial size and resizes it', { timeout: 20_000 }, async () => {
    const session = await driver.exec(studioId, {
      cmd: ['bash', '-c', 'stty size; read line; stty size'],
      tty: true,
      cols: 100,
      rows: 30,
    });
    let output = '';
    session.onData((chunk) => {
      output += chunk.toString();
    });
    await waitFor(() => output.includes('30 100'), { what: 'initial stty size' });
    await session.resize(120, 40);
    session.write('\r');
    await waitFor(() => output.includes('40 120'), { what: 'resized stty size' });
    expect(await session.exit).toBe(0);
    session.dispose();
  });

  it('kills the process when a session is disposed', { timeout: 20_000 }, async () => {
    const session = await driver.exec(studioId, { cmd: ['sleep', '1234'], tty: false });
    await waitFor(async () => (await sh(driver, studioId, 'pgrep -fx "sleep 1234"')).code === 0, {
      what: 'sleep running',
    });
    session.dispose();
    await waitFor(async () => (await sh(driver, studioId, 'pgrep -fx "sleep 1234"')).code === 1, {
      what: 'sleep killed',
    });
  });

  it('keeps /workspace, the container layer and root-installed packages across stop and start', {
    timeout: 180_000,
  }, async () => {
    expect(
      (await sh(driver, studioId, 'echo ws > /workspace/kept.txt && echo layer > /home/studio/layer.txt'))
        .code,
    ).toBe(0);
    const install = await sh(
      driver,
      studioId,
      'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends jq >/dev/null',
      'root',
    );
    expect(
      install.stderr.match(/^E: .*/m)?.[0] ?? '',
      'apt-get as root works with the small capability set',
    ).toBe('');
    expect(install.code).toBe(0);
    await driver.stop(studioId);
    expect((await driver.status(studioId)).state).toBe('stopped');
    await driver.stop(studioId);
    await driver.start(studioId);
    const kept = await sh(
      driver,
      studioId,
      'cat /workspace/kept.txt /home/studio/layer.txt && echo \'{"a":7}\' | jq .a',
    );
    expect(kept).toEqual({ code: 0, stdout: 'ws\nlayer\n7\n', stderr: '' });
  });

  it('switches cpu-small → cpu-large keeping everything, with the new limits', {
    timeout: 120_000,
  }, async () => {
    const progress: string[] = [];
    await driver.switchMachine(studioId, driver.catalog.get('cpu-large'), (message) =>
      progress.push(message),
    );
    expect(progress.length).toBeGreaterThan(2);
    expect(await driver.status(studioId)).toEqual({ state: 'running', machineTypeId: 'cpu-large' });
    const limits = await sh(
      driver,
      studioId,
      'cat /workspace/kept.txt /home/studio/layer.txt /sys/fs/cgroup/pids/pids.max /sys/fs/cgroup/memory/memory.limit_in_bytes && jq --version',
    );
    expect(limits.stdout).toBe(`ws\nlayer\n2048\n${16384 * 1024 * 1024}\njq-1.6\n`);
    const snapshots = await docker.listImages({ filters: { reference: [`studios-snapshot/${studioId}`] } });
    expect(snapshots.flatMap((image) => image.RepoTags)).toEqual([`studios-snapshot/${studioId}:1`]);
  });

  it('refuses a GPU machine on this host clearly and leaves the Studio as it was', async () => {
    const error = await driver.switchMachine(studioId, driver.catalog.get('gpu-1')).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(isRuntimeError(error, 'gpu_unavailable')).toBe(true);
    expect((error as Error).message).toMatch(/no NVIDIA GPU runtime/);
    expect(await driver.status(studioId)).toEqual({ state: 'running', machineTypeId: 'cpu-large' });
    expect((await sh(driver, studioId, 'cat /workspace/kept.txt /home/studio/layer.txt')).stdout).toBe(
      'ws\nlayer\n',
    );
    const containers = await docker.listContainers({
      all: true,
      filters: { label: [`io.studios.studio=${studioId}`] },
    });
    expect(containers.map((container) => container.Names[0])).toEqual([`/studios-${studioId}`]);
  });

  it('reports a `docker stop` from outside, and a new driver instance sees the same Studios', async () => {
    events.length = 0;
    await docker.getContainer(`studios-${studioId}`).stop({ t: 5 });
    await waitFor(() => events.some((event) => event.status.state === 'stopped'), { what: 'stopped event' });
    const other = new DockerDriver({ agent: emptyAgentFolders() });
    try {
      const listed = (await other.list()).find((entry) => entry.studioId === studioId);
      expect(listed?.status).toEqual({ state: 'stopped', machineTypeId: 'cpu-large' });
      await driver.start(studioId);
      const again = (await other.list()).find((entry) => entry.studioId === studioId);
      expect(again?.status.state).toBe('running');
    } finally {
      await other.dispose();
    }
  });

  it('refuses exec in a stopped Studio with studio_not_running', async () => {
    await driver.stop(studioId);
    const error = await driver
      .exec(studioId, { cmd: ['true'], tty: false })
      .catch((thrown: unknown) => thrown);
    expect(isRuntimeError(error, 'studio_not_running')).toBe(true);
  });
});
