import { ErrorCode } from '@studios/protocol';
import type Docker from 'dockerode';
import { KeyedQueue } from '../../keyed-queue';
import { RuntimeError } from '../../runtime-error';
import { engineMessage, engineStatus, isNotFound, translateEngineError } from '../engine-errors';
import { LABEL_STUDIO, networkName } from '../names';
import { readHostRoutes } from './host-routes';
import { type Cidr, formatCidr, parseCidr } from './ipv4';
import {
  assertBridgePrefix,
  bridgeName,
  DEFAULT_SUBNET_POOL,
  firstFreeSubnet,
  gatewayOf,
  poolCapacity,
  type SubnetPool,
} from './subnet-pool';

/** Every Studio bridge is `studios` + 8 hex digits; the firewall matches `studios+`. */
export const DEFAULT_BRIDGE_PREFIX = 'studios';

const BRIDGE_NAME_OPTION = 'com.docker.network.bridge.name';

/** Another process may take the subnet we picked between our look and our create. */
const ALLOCATION_ATTEMPTS = 8;

export interface StudioNetworkOptions {
  pool?: SubnetPool;
  bridgePrefix?: string;
}

/** The engine refused a subnet or bridge name another network took first. */
function lostAllocationRace(error: unknown): boolean {
  return engineStatus(error) === 403 && /overlaps|same bridge name/i.test(engineMessage(error));
}

/**
 * Each Studio's own bridge network: a subnet this driver picks from its pool (so hundreds of
 * Studios fit, where Docker's default pools stop at about 31 networks) and a bridge interface
 * named with a fixed prefix, so the host firewall covers every Studio with one wildcard.
 */
export class StudioNetworks {
  readonly pool: SubnetPool;
  readonly bridgePrefix: string;
  readonly #docker: Docker;
  readonly #readRoutes: () => Promise<Cidr[]>;
  /** Allocations in this process run one at a time, so they never pick the same subnet. */
  readonly #allocation = new KeyedQueue();
  /** Studios whose network was seen isolated; they are not inspected again before a start. */
  readonly #isolated = new Set<string>();

  constructor(docker: Docker, options: StudioNetworkOptions = {}, readRoutes = readHostRoutes) {
    this.#docker = docker;
    this.pool = options.pool ?? DEFAULT_SUBNET_POOL;
    this.bridgePrefix = options.bridgePrefix ?? DEFAULT_BRIDGE_PREFIX;
    assertBridgePrefix(this.bridgePrefix);
    this.#readRoutes = readRoutes;
  }

  /** The Studio's network, created when missing; its name. */
  async ensure(studioId: string): Promise<string> {
    const name = networkName(studioId);
    const info = await this.#inspect(name);
    if (!info) await this.#create(studioId);
    else if (this.#isIsolatedNetwork(info)) this.#isolated.add(studioId);
    else await this.#replaceLegacy(studioId, info);
    return name;
  }

  /**
   * Before a start: a Studio created by an older Studios sits on a Docker-pool subnet whose
   * `br-…` bridge the firewall does not match; it moves to an isolated network now, while
   * its containers are stopped. Checked once per Studio per process.
   */
  async upgradeLegacy(studioId: string): Promise<void> {
    if (this.#isolated.has(studioId)) return;
    const info = await this.#inspect(networkName(studioId));
    if (!info) return; // Starting fails with the engine's own words; ensure() recreates it.
    if (this.#isIsolatedNetwork(info)) this.#isolated.add(studioId);
    else await this.#replaceLegacy(studioId, info);
  }

  /** The subnet and bridge interface of a Studio's network, when it has one. */
  async describe(studioId: string): Promise<{ subnet: string; gateway: string; bridge: string } | undefined> {
    const info = await this.#inspect(networkName(studioId));
    const config = info?.IPAM?.Config?.[0];
    const subnet = parseCidr(config?.Subnet ?? '');
    const bridge = info?.Options?.[BRIDGE_NAME_OPTION];
    if (!subnet || !config?.Gateway || !bridge) return undefined;
    return { subnet: formatCidr(subnet), gateway: config.Gateway, bridge };
  }

  #isIsolatedNetwork(info: Docker.NetworkInspectInfo): boolean {
    return info.Options?.[BRIDGE_NAME_OPTION]?.startsWith(this.bridgePrefix) === true;
  }

  async #inspect(name: string): Promise<Docker.NetworkInspectInfo | undefined> {
    try {
      return (await this.#docker.getNetwork(name).inspect()) as Docker.NetworkInspectInfo;
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw translateEngineError(error, 'prepare the Studio network');
    }
  }

  /** Subnets in use by any network on the engine, and networks the host routes. */
  async #taken(): Promise<Cidr[]> {
    const [networks, routes] = await Promise.all([this.#docker.listNetworks(), this.#readRoutes()]);
    const subnets = networks.flatMap((network) =>
      (network.IPAM?.Config ?? []).flatMap((config) => {
        const subnet = parseCidr(config.Subnet ?? '');
        return subnet ? [subnet] : [];
      }),
    );
    return [...subnets, ...routes];
  }

  #create(studioId: string): Promise<void> {
    return this.#allocation.run('allocate', async () => {
      for (let attempt = 1; ; attempt += 1) {
        // Lowest free first, so a single server packs its pool; after losing a race to another
        // process (which takes the lowest too), somewhere random, so the two stop colliding.
        const start = attempt === 1 ? 0 : Math.floor(Math.random() * poolCapacity(this.pool));
        const subnet = firstFreeSubnet(this.pool, await this.#taken(), start);
        if (!subnet) {
          throw new RuntimeError(
            ErrorCode.RuntimeError,
            `All ${poolCapacity(this.pool)} Studio networks of the pool ${formatCidr(this.pool.base)} ` +
              `(/${this.pool.subnetPrefix} each) are in use. Remove unused Studios or configure a larger pool.`,
          );
        }
        try {
          await this.#docker.createNetwork({
            Name: networkName(studioId),
            Driver: 'bridge',
            CheckDuplicate: true,
            Labels: { [LABEL_STUDIO]: studioId },
            IPAM: { Driver: 'default', Config: [{ Subnet: formatCidr(subnet), Gateway: gatewayOf(subnet) }] },
            Options: { [BRIDGE_NAME_OPTION]: bridgeName(this.bridgePrefix, subnet) },
          });
          this.#isolated.add(studioId);
          return;
        } catch (error) {
          if (engineStatus(error) === 409) return; // Another call created this Studio's network first.
          if (!lostAllocationRace(error) || attempt >= ALLOCATION_ATTEMPTS) {
            throw translateEngineError(error, 'create the Studio network');
          }
        }
      }
    });
  }

  /**
   * Replaces a legacy network with an isolated one of the same name and reattaches the
   * Studio's containers (a stopped container keeps its endpoint settings only through a
   * disconnect/connect). A running container keeps its network until its next start.
   */
  async #replaceLegacy(studioId: string, info: Docker.NetworkInspectInfo): Promise<void> {
    const name = networkName(studioId);
    const containers = await this.#docker.listContainers({
      all: true,
      filters: { label: [`${LABEL_STUDIO}=${studioId}`] },
    });
    const attached = containers.filter((container) => container.NetworkSettings?.Networks?.[name]);
    if (attached.some((container) => container.State === 'running')) return;
    try {
      const legacy = this.#docker.getNetwork(info.Id);
      for (const container of attached) await legacy.disconnect({ Container: container.Id, Force: true });
      await legacy.remove();
      await this.#create(studioId);
      const isolated = this.#docker.getNetwork(name);
      for (const container of attached) await isolated.connect({ Container: container.Id });
    } catch (error) {
      throw translateEngineError(error, 'move the Studio to an isolated network');
    }
  }
}
