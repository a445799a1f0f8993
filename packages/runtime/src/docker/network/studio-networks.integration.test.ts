import { execFileSync } from 'node:child_process';
import { emptyAgentFolders } from '@studios/testkit';
import Docker from 'dockerode';
import { afterAll, describe, expect, it } from 'vitest';
import {
  containerAddress,
  makeWorkspace,
  removeWorkspace,
  uniqueStudioId,
} from '../../testing/docker-fixture';
import { RecordingFirewall } from '../../testing/recording-firewall';
import { buildContainerSpec } from '../container-spec';
import { DockerDriver } from '../docker-driver';
import { containerName, LABEL_STUDIO, networkName } from '../names';
import { contains, formatIpv4, parseCidr, parseIpv4 } from './ipv4';
import { StudioNetworks } from './studio-networks';
import { DEFAULT_SUBNET_POOL } from './subnet-pool';

/** More than Docker's default pools hold (15 × /16 + 16 × /20 = 31 networks). */
const MANY = 60;

function hostInterfaceExists(name: string): boolean {
  try {
    execFileSync('ip', ['link', 'show', name], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('Studio networks on the real engine', () => {
  const docker = new Docker({ socketPath: '/var/run/docker.sock' });
  const studioIds: string[] = [];

  afterAll(async () => {
    const containers = await docker.listContainers({ all: true, filters: { label: [LABEL_STUDIO] } });
    for (const container of containers) {
      if (studioIds.includes(container.Labels[LABEL_STUDIO] ?? '')) {
        await docker.getContainer(container.Id).remove({ force: true });
      }
    }
    await Promise.all(
      studioIds.map((studioId) =>
        docker
          .getNetwork(networkName(studioId))
          .remove()
          .catch(() => {}),
      ),
    );
    const left = await docker.listNetworks({ filters: { label: [LABEL_STUDIO] } });
    expect(left.filter((network) => studioIds.includes(network.Labels?.[LABEL_STUDIO] ?? ''))).toEqual([]);
  }, 120_000);

  it(`gives ${MANY} Studios their own subnet from the pool, even when two drivers allocate at once`, {
    timeout: 120_000,
  }, async () => {
    // Two allocators stand for two server processes racing for the same free subnets.
    const allocators = [new StudioNetworks(docker), new StudioNetworks(docker)];
    const ids = Array.from({ length: MANY }, () => uniqueStudioId('net'));
    studioIds.push(...ids);
    // allSettled: every creation has ended before the assertion, so afterAll cleans up all of them.
    const results = await Promise.allSettled(ids.map((studioId, i) => allocators[i % 2]?.ensure(studioId)));
    expect(results.filter((result) => result.status === 'rejected')).toEqual([]);

    const described = await Promise.all(ids.map((studioId) => allocators[0]?.describe(studioId)));
    const subnets = described.map((network) => network?.subnet);
    expect(new Set(subnets).size).toBe(MANY);
    for (const network of described) {
      const subnet = parseCidr(network?.subnet ?? '');
      expect(subnet?.prefix).toBe(28);
      expect(contains(DEFAULT_SUBNET_POOL.base, subnet?.address ?? 0)).toBe(true);
      expect(network?.bridge).toBe(`studios${subnet?.address.toString(16).padStart(8, '0')}`);
      expect(network?.gateway).toBe(formatIpv4((subnet?.address ?? 0) + 1));
    }
    // The bridges exist on the host under those names, so `-i studios+` matches them all.
    expect(described.every((network) => hostInterfaceExists(network?.bridge ?? ''))).toBe(true);
    // Idempotent: asking again changes nothing.
    await allocators[1]?.ensure(ids[0] as string);
    expect((await allocators[1]?.describe(ids[0] as string))?.subnet).toBe(subnets[0]);
  });

  it('moves a Studio created by an older Studios (Docker-pool subnet, br- bridge) onto an isolated network at its next start', {
    timeout: 60_000,
  }, async () => {
    const studioId = uniqueStudioId('legacy');
    studioIds.push(studioId);
    const workspaceDir = await makeWorkspace();
    const agentFolders = emptyAgentFolders();
    const driver = new DockerDriver({ firewall: new RecordingFirewall(), agent: agentFolders });
    try {
      // What ensureNetwork and create did before: no subnet, no bridge name.
      await docker.createNetwork({
        Name: networkName(studioId),
        Driver: 'bridge',
        Labels: { [LABEL_STUDIO]: studioId },
      });
      const machine = driver.catalog.get('cpu-small');
      await docker.createContainer(
        buildContainerSpec({
          studioId,
          name: containerName(studioId),
          workspaceDir,
          machine,
          network: networkName(studioId),
          hostCpus: 1,
          agent: { runtimeDir: agentFolders.runtimeDir, socketDir: agentFolders.socketDir(studioId) },
        }),
      );
      const legacy = await docker.getNetwork(networkName(studioId)).inspect();
      expect(legacy.Options?.['com.docker.network.bridge.name']).toBeUndefined();

      await driver.start(studioId);
      const isolated = await docker.getNetwork(networkName(studioId)).inspect();
      expect(isolated.Id).not.toBe(legacy.Id);
      expect(isolated.Options?.['com.docker.network.bridge.name']).toMatch(/^studios[0-9a-f]{8}$/);
      const host = await containerAddress(studioId);
      const subnet = parseCidr(isolated.IPAM?.Config?.[0]?.Subnet ?? '');
      expect(subnet && contains(subnet, parseIpv4(host) ?? 0)).toBe(true);
      expect((await driver.status(studioId)).state).toBe('running');
    } finally {
      await driver.remove(studioId);
      await driver.dispose();
      await removeWorkspace(workspaceDir);
    }
  });
});
