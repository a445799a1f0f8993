import { describe, expect, it } from 'vitest';
import { parseRouteTable } from './host-routes';
import { type Cidr, formatCidr, parseCidr } from './ipv4';
import {
  assertBridgePrefix,
  bridgeName,
  DEFAULT_SUBNET_POOL,
  firstFreeSubnet,
  gatewayOf,
  parseSubnetPool,
  poolCapacity,
  type SubnetPool,
} from './subnet-pool';

function cidr(text: string): Cidr {
  const parsed = parseCidr(text);
  if (!parsed) throw new Error(`bad test CIDR ${text}`);
  return parsed;
}
const cidrs = (...texts: string[]) => texts.map(cidr);
const first = (pool: SubnetPool, taken: Cidr[]) => {
  const subnet = firstFreeSubnet(pool, taken);
  return subnet && formatCidr(subnet);
};

describe('the Studio subnet pool', () => {
  it('holds thousands of networks by default, far beyond the ~31 of Docker’s default pools', () => {
    expect(formatCidr(DEFAULT_SUBNET_POOL.base)).toBe('10.213.0.0/16');
    expect(poolCapacity(DEFAULT_SUBNET_POOL)).toBe(4096);
  });

  it('picks the first subnet that overlaps no network and no host route', () => {
    const pool = parseSubnetPool('10.213.0.0/16', 28);
    expect(first(pool, [])).toBe('10.213.0.0/28');
    const taken = cidrs('10.213.0.0/28', '10.213.0.16/28', '10.213.0.32/27', '172.17.0.0/16');
    expect(first(pool, taken)).toBe('10.213.0.64/28');
    // A host route covering the start of the pool (a VPN's 10.213.0.0/24) pushes past it.
    expect(first(pool, cidrs('10.213.0.0/24'))).toBe('10.213.1.0/28');
    // A route containing the whole pool (the LAN is 10.0.0.0/8) leaves nothing.
    expect(first(pool, cidrs('10.0.0.0/8'))).toBeUndefined();
  });

  it('can start the search anywhere in the pool, wrapping around', () => {
    const pool = parseSubnetPool('10.213.0.0/26', 28);
    expect(formatCidr(firstFreeSubnet(pool, [], 2) ?? pool.base)).toBe('10.213.0.32/28');
    const taken = cidrs('10.213.0.48/28');
    expect(formatCidr(firstFreeSubnet(pool, taken, 3) ?? pool.base)).toBe('10.213.0.0/28');
  });

  it('reports a full pool', () => {
    const pool = parseSubnetPool('10.213.0.0/27', 28);
    expect(first(pool, cidrs('10.213.0.0/28', '10.213.0.16/28'))).toBeUndefined();
  });

  it('refuses pools and sizes that cannot work, saying why', () => {
    expect(() => parseSubnetPool('10.213.0.1/16', 28)).toThrow(/host bits/);
    expect(() => parseSubnetPool('10.213.0.0', 28)).toThrow(/IPv4 block/);
    expect(() => parseSubnetPool('10.213.0.0/16', 30)).toThrow(/between \/16 .* and \/29/);
    expect(() => parseSubnetPool('10.213.0.0/24', 20)).toThrow(/between \/24/);
  });

  it('names bridges with the prefix and the subnet, within the 15 characters Linux allows', () => {
    const subnet = cidr('10.213.0.16/28');
    expect(bridgeName('studios', subnet)).toBe('studios0ad50010');
    expect(bridgeName('studios', subnet)).toHaveLength(15);
    expect(gatewayOf(subnet)).toBe('10.213.0.17');
    expect(() => assertBridgePrefix('studios1')).toThrow(/1 to 7/);
    expect(() => assertBridgePrefix('Studio')).toThrow();
    expect(() => assertBridgePrefix('br-')).toThrow();
  });

  it('reads the host route table without the default route', () => {
    const table = [
      'Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT',
      'eth0\t00000000\t010200C0\t0003\t0\t0\t0\t00000000\t0\t0\t0',
      'docker0\t000011AC\t00000000\t0001\t0\t0\t0\t0000FFFF\t0\t0\t0',
      'eth0\t000200C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0',
    ].join('\n');
    expect(parseRouteTable(table).map(formatCidr)).toEqual(['172.17.0.0/16', '192.0.2.0/24']);
  });
});
