import { connect, createServer, type Server } from 'node:net';
import { emptyAgentFolders, waitFor } from '@studios/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExecSession } from '../driver';
import {
  containerAddress,
  makeWorkspace,
  removeWorkspace,
  sh,
  uniqueStudioId,
} from '../testing/docker-fixture';
import { DockerDriver } from './docker-driver';

/** Capability bits (linux/capability.h). */
const CAP = { NET_RAW: 13, SYS_ADMIN: 21, MKNOD: 27 } as const;

function hasCapability(capEffHex: string, bit: number): boolean {
  return (BigInt(`0x${capEffHex}`) & (1n << BigInt(bit))) !== 0n;
}

function canConnect(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 2000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

// What a user can do from inside a Studio: two Studios side by side, probing each other and the host.
describe('Studio containers are hardened', () => {
  const driver = new DockerDriver({ agent: emptyAgentFolders() });
  const attacker = uniqueStudioId('itA');
  const neighbour = uniqueStudioId('itB');
  const workspaces: string[] = [];
  let listener: ExecSession | undefined;
  let hostServer: Server | undefined;

  beforeAll(async () => {
    for (const studioId of [attacker, neighbour]) {
      const workspaceDir = await makeWorkspace();
      workspaces.push(workspaceDir);
      await driver.ensure({ studioId, workspaceDir, machine: driver.catalog.get('cpu-small') });
      await driver.start(studioId);
    }
  }, 60_000);

  afterAll(async () => {
    listener?.dispose();
    hostServer?.close();
    await Promise.all([attacker, neighbour].map((studioId) => driver.remove(studioId)));
    await driver.dispose();
    await Promise.all(workspaces.map(removeWorkspace));
  }, 60_000);

  it('gives the Studio user no capabilities and no new privileges', async () => {
    const status = await sh(driver, attacker, 'grep -E "^(NoNewPrivs|CapEff):" /proc/self/status');
    expect(status.stdout).toMatch(/CapEff:\s+0000000000000000/);
    expect(status.stdout).toMatch(/NoNewPrivs:\s+1/);
    const su = await sh(driver, attacker, 'su -c id root </dev/null');
    expect(su.code).not.toBe(0);
  });

  it('gives root only the few capabilities administrative steps need', async () => {
    const status = await sh(driver, attacker, 'grep -E "^(NoNewPrivs|CapEff):" /proc/self/status', 'root');
    const capEff = /CapEff:\s+([0-9a-f]+)/.exec(status.stdout)?.[1] ?? '';
    expect(capEff).not.toBe('');
    expect(status.stdout).toMatch(/NoNewPrivs:\s+1/);
    for (const bit of Object.values(CAP)) expect(hasCapability(capEff, bit)).toBe(false);
    const mknod = await sh(driver, attacker, 'mknod /tmp/x c 1 3', 'root');
    expect(mknod.code).not.toBe(0);
    expect(mknod.stderr).toMatch(/Operation not permitted/);
  });

  it('has no Docker socket inside', async () => {
    const probe = await sh(
      driver,
      attacker,
      'test -e /var/run/docker.sock || test -e /run/docker.sock; echo $?',
    );
    expect(probe.stdout.trim()).toBe('1');
  });

  it('stops a fork bomb at the pids limit while the neighbour stays responsive', {
    timeout: 60_000,
  }, async () => {
    // Forks children until the kernel refuses, reports how many it got, then reaps them.
    const bomb = `
import os, signal, time
pids = []
try:
    for _ in range(2000):
        pid = os.fork()
        if pid == 0:
            time.sleep(30)
            os._exit(0)
        pids.append(pid)
    print("unlimited", len(pids))
except OSError as error:
    print("limited", len(pids), error.errno)
for pid in pids:
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
`;
    const running = sh(driver, attacker, `python3 -c '${bomb}'`);
    const neighbourAnswer = await sh(driver, neighbour, 'echo alive');
    expect(neighbourAnswer).toEqual({ code: 0, stdout: 'alive\n', stderr: '' });
    const result = await running;
    expect(result.stdout).toMatch(/^limited \d+ 11$/m);
    const forked = Number(/^limited (\d+)/m.exec(result.stdout)?.[1]);
    expect(forked).toBeLessThan(512);
    expect((await sh(driver, attacker, 'echo recovered')).stdout).toBe('recovered\n');
  });

  it("cannot reach the neighbour Studio's ports or the host's loopback", { timeout: 30_000 }, async () => {
    listener = await driver.exec(neighbour, { cmd: ['python3', '-m', 'http.server', '8000'], tty: false });
    const host = await containerAddress(neighbour);
    const port = 8000;
    // The server can reach it, so the listener is really there.
    await waitFor(() => canConnect(host, port), {
      what: 'neighbour listener reachable from the host',
      timeoutMs: 10_000,
    });
    const toNeighbour = await sh(driver, attacker, `timeout 3 bash -c '</dev/tcp/${host}/${port}'`);
    expect(toNeighbour.code).not.toBe(0);

    hostServer = createServer((socket) => {
      socket.on('error', () => {});
      socket.end('host\n');
    });
    await new Promise<void>((resolve) => hostServer?.listen(0, '127.0.0.1', resolve));
    const hostPort = (hostServer.address() as { port: number }).port;
    expect(await canConnect('127.0.0.1', hostPort)).toBe(true);
    const toHost = await sh(driver, attacker, `timeout 3 bash -c '</dev/tcp/127.0.0.1/${hostPort}'`);
    expect(toHost.code).not.toBe(0);
  });
});
