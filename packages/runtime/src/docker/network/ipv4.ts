/** An IPv4 block: its first address as an unsigned 32-bit number, and its prefix length. */
export interface Cidr {
  address: number;
  prefix: number;
}

const DOTTED_QUAD = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** `a.b.c.d` as an unsigned number, or undefined when it is not a plain dotted quad. */
export function parseIpv4(text: string): number | undefined {
  const match = DOTTED_QUAD.exec(text.trim());
  if (!match) return undefined;
  let value = 0;
  for (const part of match.slice(1)) {
    const octet = Number(part);
    if (octet > 255) return undefined;
    value = value * 256 + octet;
  }
  return value;
}

export function formatIpv4(address: number): string {
  return [24, 16, 8, 0].map((shift) => (address >>> shift) & 255).join('.');
}

/** The network mask of a prefix length, as an unsigned number (`/0` → 0). */
function mask(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

/** Number of addresses in a block of this prefix length. */
export function blockSize(prefix: number): number {
  return 2 ** (32 - prefix);
}

/**
 * `a.b.c.d/n` (or a bare address, meaning /32). Refuses host bits set below the prefix, so a
 * typo like `10.0.0.1/8` is reported instead of silently widened.
 */
export function parseCidr(text: string): Cidr | undefined {
  const [addressText, prefixText, ...rest] = text.trim().split('/');
  if (addressText === undefined || rest.length > 0) return undefined;
  const address = parseIpv4(addressText);
  const prefix = prefixText === undefined ? 32 : /^\d{1,2}$/.test(prefixText) ? Number(prefixText) : -1;
  if (address === undefined || prefix < 0 || prefix > 32) return undefined;
  if ((address & mask(prefix)) >>> 0 !== address) return undefined;
  return { address, prefix };
}

/** `a.b.c.d/n`, always with the prefix (iptables prints /32 for single hosts too). */
export function formatCidr(cidr: Cidr): string {
  return `${formatIpv4(cidr.address)}/${cidr.prefix}`;
}

/** Whether two blocks share at least one address. */
export function overlaps(a: Cidr, b: Cidr): boolean {
  const shorter = Math.min(a.prefix, b.prefix);
  return (a.address & mask(shorter)) >>> 0 === (b.address & mask(shorter)) >>> 0;
}

/** Whether `address` lies inside `cidr`. */
export function contains(cidr: Cidr, address: number): boolean {
  return (address & mask(cidr.prefix)) >>> 0 === cidr.address;
}
