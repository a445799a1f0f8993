import { blockSize, type Cidr, formatIpv4, overlaps, parseCidr } from './ipv4';

/**
 * Where Studio networks get their subnets: equal blocks of `subnetPrefix` carved out of `base`.
 * The driver picks them itself rather than leaving it to Docker, whose default pools hold only
 * about 31 networks (15 × /16 and 16 × /20) and are shared with every other bridge on the host.
 */
export interface SubnetPool {
  base: Cidr;
  subnetPrefix: number;
}

/** /29 still leaves network, gateway, broadcast and five container addresses. */
const SMALLEST_SUBNET_PREFIX = 29;

/** Reads a pool from its two settings; the error says what is wrong, without naming a setting. */
export function parseSubnetPool(baseText: string, subnetPrefix: number): SubnetPool {
  const base = parseCidr(baseText);
  if (!base || !baseText.includes('/')) {
    throw new Error(`"${baseText}" is not an IPv4 block such as 10.213.0.0/16 (host bits must be zero)`);
  }
  if (
    !Number.isInteger(subnetPrefix) ||
    subnetPrefix < base.prefix ||
    subnetPrefix > SMALLEST_SUBNET_PREFIX
  ) {
    throw new Error(
      `the subnet size must be a prefix length between /${base.prefix} (the pool itself) and /${SMALLEST_SUBNET_PREFIX}, got ${subnetPrefix}`,
    );
  }
  return { base, subnetPrefix };
}

/**
 * 4096 networks of 16 addresses: gateway, the Studio's container, a machine switch's second
 * container, and room to spare. 10.213/16 sits away from Docker's defaults (172.17–31/16,
 * 192.168/16) and from the ranges home routers and VPNs usually pick; anything already routed
 * on the host or used by another network is skipped when a subnet is chosen.
 */
export const DEFAULT_SUBNET_POOL_CIDR = '10.213.0.0/16';
/** {@link DEFAULT_SUBNET_POOL_CIDR} in /28 subnets. */
export const DEFAULT_SUBNET_POOL: SubnetPool = parseSubnetPool(DEFAULT_SUBNET_POOL_CIDR, 28);

/** How many Studio networks the pool holds. */
export function poolCapacity(pool: SubnetPool): number {
  return blockSize(pool.base.prefix) / blockSize(pool.subnetPrefix);
}

/**
 * The first subnet of the pool, from the `start`-th one on (wrapping around), that overlaps
 * nothing in `taken`; undefined when the pool is full.
 */
export function firstFreeSubnet(pool: SubnetPool, taken: readonly Cidr[], start = 0): Cidr | undefined {
  const size = blockSize(pool.subnetPrefix);
  const candidates = poolCapacity(pool);
  const relevant = taken.filter((block) => overlaps(block, pool.base));
  for (let step = 0; step < candidates; step += 1) {
    const index = (start + step) % candidates;
    const subnet = { address: pool.base.address + index * size, prefix: pool.subnetPrefix };
    if (!relevant.some((block) => overlaps(block, subnet))) return subnet;
  }
  return undefined;
}

/** The gateway Docker gives a bridge network: the subnet's first host address. */
export function gatewayOf(subnet: Cidr): string {
  return formatIpv4(subnet.address + 1);
}

/** Linux interface names hold at most 15 characters; the rest of a bridge name is 8 hex digits. */
export const MAX_BRIDGE_PREFIX_LENGTH = 7;

/** Refuses a prefix that would not leave a valid, unique interface name. */
export function assertBridgePrefix(prefix: string): void {
  if (!/^[a-z][a-z0-9]*$/.test(prefix) || prefix.length > MAX_BRIDGE_PREFIX_LENGTH) {
    throw new Error(
      `"${prefix}" is not a bridge name prefix: 1 to ${MAX_BRIDGE_PREFIX_LENGTH} lowercase letters or digits, starting with a letter`,
    );
  }
}

/**
 * The host interface of a Studio network: the prefix (so one firewall wildcard, `<prefix>+`,
 * matches every Studio bridge) and the subnet's address in hex, unique because subnets are.
 */
export function bridgeName(prefix: string, subnet: Cidr): string {
  return `${prefix}${subnet.address.toString(16).padStart(8, '0')}`;
}
