import { readFile, realpath } from 'node:fs/promises';
import type { MachineType } from '@studios/protocol';
import { emptyAgentFolders, isolatedHome, type TempDir, tempDir, waitFor } from '@studios/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RuntimeEvent } from '../driver';
import { isRuntimeError } from '../runtime-error';
import { collectOutput, isAlive } from '../testing/local-process';
import { LocalDriver } from './local-driver';

const cpu: MachineType = {
  id: 'cpu-2',
  label: '2 CPUs',
  cpus: 2,
  memoryMb: 4096,
  pids: 512,
  gpus: 0,
  image: 'x',
};
const gpu: MachineType = { ...cpu, id: 'gpu-1', label: '1 GPU', gpus: 1 };

describe('LocalDriver', () => {
  let driver: LocalDriver;
  let workspace: string;
  let temp: TempDir;
  const studioId = 'local-test';

  beforeEach(async () => {
    temp = tempDir('studios-local-');
    workspace = await realpath(temp.dir);
    driver = new LocalDriver({ agent: emptyAgentFolders(), killGraceMs: 500, home: isolatedHome() });
    await driver.ensure({ studioId, workspaceDir: workspace, machine: cpu });
  });

  afterEach(async () => {
    await driver.dispose();
    expect(driver.stats()).toEqual({ studios: 0, processes: 0 });
    temp.cleanup();
  });

  it('starts and stops, reporting each change as an event', async () => {
    const events: RuntimeEvent[] = [];
    driver.onEvent((event) => events.push(event));
    expect((await driver.status(studioId)).state).toBe('stopped');
    await driver.start(studioId);
    await driver.start(studioId);
    expect(await driver.status(studioId)).toEqual({ state: 'running', machineTypeId: 'cpu-2' });
    await driver.stop(studioId);
    await waitFor(() => events.length === 2, { what: 'two events' });
    expect(events.map((event) => event.status.state)).toEqual(['running', 'stopped']);
    expect(await driver.list()).toEqual([{ studioId, status: { state: 'stopped', machineTypeId: 'cpu-2' } }]);
  });

  it('refuses exec while stopped', async () => {
    const failure = await driver.exec(studioId, { cmd: ['true'], tty: false }).catch((error) => error);
    expect(isRuntimeError(failure, 'studio_not_running')).toBe(true);
  });

  it('runs a login shell on a TTY in the workspace, with TERM and size, and reports its exit code', async () => {
    await driver.start(studioId);
    const shell = await driver.exec(studioId, { cmd: ['bash', '-l'], tty: true, cols: 91, rows: 33 });
    const output = collectOutput(shell);
    shell.write('echo "cwd=$PWD term=$TERM size=$(stty size) n=$((6*7))"\r');
    await waitFor(() => output.stdout().includes(`cwd=${workspace} term=xterm-256color size=33 91 n=42`), {
      what: 'shell output',
    });
    await shell.resize(120, 40);
    shell.write('echo "now=$(stty size)"; exit 3\r');
    expect(await shell.exit).toBe(3);
    expect(output.stdout()).toContain('now=40 120');
  });

  it('runs without a TTY with separate stdout and stderr, stdin and exit code', async () => {
    await driver.start(studioId);
    const proc = await driver.exec(studioId, {
      cmd: ['sh', '-c', 'cat; echo oops >&2; pwd > where.txt; exit 5'],
      tty: false,
    });
    const output = collectOutput(proc);
    proc.write('from stdin\n');
    proc.end();
    expect(await proc.exit).toBe(5);
    expect(output.stdout()).toBe('from stdin\n');
    expect(output.stderr()).toBe('oops\n');
    expect((await readFile(`${workspace}/where.txt`, 'utf8')).trim()).toBe(workspace);
  });

  it('reports a command that cannot run as exit 127', async () => {
    await driver.start(studioId);
    const proc = await driver.exec(studioId, { cmd: ['/no/such/program'], tty: false });
    const output = collectOutput(proc);
    expect(await proc.exit).toBe(127);
    expect(output.stderr()).toContain('/no/such/program');
  });

  it('pause() blocks the writer on a full pipe and resume() delivers everything', async () => {
    await driver.start(studioId);
    const total = 4_000_000;
    const proc = await driver.exec(studioId, { cmd: ['head', '-c', String(total), '/dev/zero'], tty: false });
    let received = 0;
    proc.onData((chunk) => {
      received += chunk.length;
    });
    proc.pause();
    const pid = await waitFor(() => findChildPid('head'), { what: 'head to start' });
    // Node connects stdio with socket pairs: a blocked writer waits in a send/write call.
    await waitFor(async () => /write|send/.test(await readFile(`/proc/${pid}/wchan`, 'utf8')), {
      what: 'head to block writing its output',
    });
    expect(received).toBeLessThan(total);
    proc.resume();
    expect(await proc.exit).toBe(0);
    expect(received).toBe(total);
  });

  it('dispose() kills the whole process group, and stop() ends every session', async () => {
    await driver.start(studioId);
    const proc = await driver.exec(studioId, { cmd: ['sh', '-c', 'sleep 1000 & echo $!; wait'], tty: false });
    const output = collectOutput(proc);
    const sleeper = Number(await waitFor(() => output.stdout().trim(), { what: 'background pid' }));
    const shell = await driver.exec(studioId, { cmd: ['bash', '-l'], tty: true });
    expect(driver.stats().processes).toBe(2);
    proc.dispose();
    await proc.exit;
    await waitFor(() => !isAlive(sleeper), { what: 'the background sleep to die' });
    await driver.stop(studioId);
    expect(await shell.exit).toBeGreaterThan(0);
    expect(driver.stats().processes).toBe(0);
  });

  it('accepts CPU machine types as a no-op and refuses GPU types clearly', async () => {
    await driver.switchMachine(studioId, { ...cpu, id: 'cpu-8' });
    expect((await driver.status(studioId)).machineTypeId).toBe('cpu-8');
    const failure = await driver.switchMachine(studioId, gpu).catch((error) => error);
    expect(isRuntimeError(failure, 'gpu_unavailable')).toBe(true);
    expect(failure.message).toMatch(/cannot provide GPUs/);
  });
});

/** Pid of a direct child of this process (the test runner) named `name`. */
async function findChildPid(name: string): Promise<number | undefined> {
  const { readdir } = await import('node:fs/promises');
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    const match = /^\d+ \((.*)\) \S+ (\d+)/.exec(stat);
    if (match?.[1] === name && Number(match[2]) === process.pid) return Number(entry);
  }
  return undefined;
}
