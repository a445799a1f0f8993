import { randomBytes } from 'node:crypto';
import { connect, createServer } from 'node:net';
import { networkInterfaces } from 'node:os';
import { emptyAgentFolders, waitFor } from '@studios/testkit';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExecSession } from '../../driver';
import {
  containerAddress,
  makeWorkspace,
  removeWorkspace,
  sh,
  uniqueStudioId,
} from '../../testing/docker-fixture';
import { createOutsideNetwork, type OutsideNetwork } from '../../testing/outside-network';
import { RecordingFirewall } from '../../testing/recording-firewall';
import { DockerDriver } from '../docker-driver';
import { networkName } from '../names';
import { readDockerDnsServers } from './host-resolvers';
import { IptablesFirewall } from './iptables-firewall';
import { formatIpv4 } from './ipv4';

type Target = { host: string; port: number };
const key = ({ host, port }: Target) => `${host}:${port}`;

/** Which targets a TCP connection from inside the Studio (as its user) reaches, in one exec. */
async function reachableFrom(driver: DockerDriver, studioId: string, targets: Target[]) {
  const script = `for t in ${targets.map(key).join(' ')}; do
  if timeout 3 bash -c "</dev/tcp/\${t%:*}/\${t##*:}" 2>/dev/null; then echo "$t open"; else echo "$t closed"; fi
done`;
  const { stdout } = await sh(driver, studioId, script);
  const open = new Set(
    stdout
      .split('\n')
      .filter((line) => line.endsWith(' open'))
      .map((line) => line.split(' ')[0]),
  );
  return Object.fromEntries(targets.map((target) => [key(target), open.has(key(target))]));
}

function canConnect({ host, port }: Target): Promise<boolean> {
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

/** Every IPv4 address of this host but loopback: the gateway, the LAN address, other bridges. */
function hostAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flat()
    .filter((entry) => entry?.family === 'IPv4' && !entry.internal)
    .map((entry) => entry?.address as string);
}

// From inside a real Studio, before and after the driver installs its firewall (on bridges and
// chains of this run's own, so nothing else on the host is affected), and after removal.
describe('a Studio cannot reach out, except to the internet', () => {
  const tag = randomBytes(2).toString('hex');
  const bridgePrefix = `si${tag}`;
  const firewall = new IptablesFirewall({
    chains: { input: `STUDIOS-T${tag.toUpperCase()}-IN`, egress: `STUDIOS-T${tag.toUpperCase()}-EG` },
  });
  // Same Studios, two drivers: one that leaves the host open (the "before"), one with the firewall.
  const open = new DockerDriver({
    network: { bridgePrefix },
    firewall: new RecordingFirewall(),
    agent: emptyAgentFolders(),
  });
  const guarded = new DockerDriver({ network: { bridgePrefix }, firewall, agent: emptyAgentFolders() });
  const docker = new Docker({ socketPath: '/var/run/docker.sock' });
  const attacker = uniqueStudioId('itA');
  const neighbour = uniqueStudioId('itB');
  const workspaces: string[] = [];
  const sessions: ExecSession[] = [];
  const hostServer = createServer((socket) => {
    socket.on('error', () => {});
    socket.end('host\n');
  });
  let outside: OutsideNetwork | undefined;
  let hostPort = 0;
  let gateway = '';
  let neighbourPort: Target = { host: '', port: 0 };

  /** Everything a Studio must not reach, and the one it must. */
  const targets = () => {
    const o = outside as OutsideNetwork;
    return {
      gateway: { host: gateway, port: hostPort },
      hostAddresses: hostAddresses().map((host) => ({ host, port: hostPort })),
      hostLinkLocal: { host: o.hostLinkLocal.address, port: o.hostLinkLocal.port },
      metadata: { host: o.metadataAddress, port: o.port },
      privateNetwork: { host: o.privateAddress, port: o.port },
      neighbour: neighbourPort,
      internet: { host: o.publicAddress, port: o.port },
    };
  };
  const probe = async () => {
    const t = targets();
    const all = [
      t.gateway,
      ...t.hostAddresses,
      t.hostLinkLocal,
      t.metadata,
      t.privateNetwork,
      t.neighbour,
      t.internet,
    ];
    return { t, reach: await reachableFrom(guarded, attacker, all) };
  };

  beforeAll(async () => {
    await new Promise<void>((resolve) => hostServer.listen(0, '0.0.0.0', resolve));
    hostPort = (hostServer.address() as { port: number }).port;
    outside = await createOutsideNetwork(tag);
    for (const studioId of [attacker, neighbour]) {
      const workspaceDir = await makeWorkspace();
      workspaces.push(workspaceDir);
      await open.ensure({ studioId, workspaceDir, machine: open.catalog.get('cpu-small') });
      await open.start(studioId);
    }
    const network = await docker.getNetwork(networkName(attacker)).inspect();
    gateway = network.IPAM?.Config?.[0]?.Gateway ?? '';
    sessions.push(await open.exec(neighbour, { cmd: ['python3', '-m', 'http.server', '8000'], tty: false }));
    sessions.push(await open.exec(attacker, { cmd: ['python3', '-m', 'http.server', '8000'], tty: false }));
    neighbourPort = { host: await containerAddress(neighbour), port: 8000 };
    await waitFor(() => canConnect(neighbourPort), { what: 'neighbour listener', timeoutMs: 15_000 });
  }, 120_000);

  afterAll(async () => {
    for (const session of sessions) session.dispose();
    await firewall.remove().catch(() => {});
    await Promise.all([attacker, neighbour].map((studioId) => open.remove(studioId)));
    await Promise.all([open.dispose(), guarded.dispose()]);
    await outside?.dispose();
    await new Promise<void>((resolve) => hostServer.close(() => resolve()));
    await Promise.all(workspaces.map(removeWorkspace));
  }, 60_000);

  it('without the firewall, reaches the host through its gateway and every private address (the fixture is real)', {
    timeout: 60_000,
  }, async () => {
    const { t, reach } = await probe();
    expect(gateway).toMatch(/^10\.213\./);
    expect(reach[key(t.gateway)]).toBe(true);
    expect(reach[key(t.hostLinkLocal)]).toBe(true);
    expect(reach[key(t.metadata)]).toBe(true);
    expect(reach[key(t.privateNetwork)]).toBe(true);
    expect(reach[key(t.internet)]).toBe(true);
    // Docker's own isolation of distinct bridge networks, without any rule of ours.
    expect(reach[key(t.neighbour)]).toBe(false);
  });

  it('with the firewall the driver installs, reaches only the internet', { timeout: 60_000 }, async () => {
    await guarded.start(attacker); // Already running: the start only makes the driver check its rules.
    const { t, reach } = await probe();
    const blocked = [
      t.gateway,
      ...t.hostAddresses,
      t.hostLinkLocal,
      t.metadata,
      t.privateNetwork,
      t.neighbour,
    ];
    expect(t.hostAddresses.length).toBeGreaterThan(2);
    expect(Object.fromEntries(blocked.map((target) => [key(target), reach[key(target)]]))).toEqual(
      Object.fromEntries(blocked.map((target) => [key(target), false])),
    );
    expect(reach[key(t.internet)]).toBe(true);
    // The server still reaches a Studio's ports (previews, kernels): replies come back in.
    expect(await canConnect({ host: await containerAddress(attacker), port: 8000 })).toBe(true);
  });

  it('leaves IPv6 off inside the Studio and DNS open to the resolvers Docker forwards to', async () => {
    const ipv6 = await sh(guarded, attacker, 'cat /proc/sys/net/ipv6/conf/all/disable_ipv6');
    expect(ipv6.stdout.trim()).toBe('1');
    const installed = await firewall.installed();
    for (const server of await readDockerDnsServers()) {
      expect(installed.ipv4).toContain(
        `-A ${firewall.chains.egress} -d ${formatIpv4(server)}/32 -i ${bridgePrefix}+ -p udp -m udp --dport 53 -j RETURN`,
      );
    }
    expect(installed.ipv6).toContain(`-A INPUT -j ${firewall.chains.input}`);
  });

  it('after removal, nothing of it is left: the host is reachable again', { timeout: 60_000 }, async () => {
    await firewall.remove();
    expect(await firewall.installed()).toEqual({ ipv4: [], ipv6: [] });
    const { t, reach } = await probe();
    expect(reach[key(t.gateway)]).toBe(true);
    expect(reach[key(t.metadata)]).toBe(true);
  });
});
