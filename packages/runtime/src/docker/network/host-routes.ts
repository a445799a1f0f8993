import { readFile } from 'node:fs/promises';
import type { Cidr } from './ipv4';

/** `/proc/net/route` stores addresses as little-endian hex: `0100A8C0` is 192.168.0.1. */
function littleEndianHex(text: string): number | undefined {
  if (!/^[0-9A-Fa-f]{8}$/.test(text)) return undefined;
  return Buffer.from(text, 'hex').readUInt32LE(0);
}

function prefixOfMask(mask: number): number {
  let prefix = 0;
  while (prefix < 32 && (mask & (0x80000000 >>> prefix)) !== 0) prefix += 1;
  return prefix;
}

/** The IPv4 routes of `/proc/net/route` (its text), without the default route. */
export function parseRouteTable(text: string): Cidr[] {
  const routes: Cidr[] = [];
  for (const line of text.split('\n').slice(1)) {
    const [, destination, , , , , , mask] = line.trim().split(/\s+/);
    const address = littleEndianHex(destination ?? '');
    const maskValue = littleEndianHex(mask ?? '');
    if (address === undefined || maskValue === undefined || maskValue === 0) continue;
    routes.push({ address, prefix: prefixOfMask(maskValue) });
  }
  return routes;
}

/**
 * Networks this host already routes somewhere (its LAN, a VPN, other bridges). A Studio subnet
 * that overlapped one would shadow it, so such subnets are skipped; Docker checks this for its
 * own pools but not for a subnet it is given.
 */
export async function readHostRoutes(): Promise<Cidr[]> {
  try {
    return parseRouteTable(await readFile('/proc/net/route', 'utf8'));
  } catch {
    return []; // Not Linux: Docker Desktop's engine runs in a VM whose routes are not ours to see.
  }
}
