import { type Cidr, formatCidr, parseCidr } from './ipv4';

/**
 * A destination Studios may reach although the firewall blocks its range (a package cache on
 * the LAN, a company proxy). Without a port, every port and protocol; with one, TCP and UDP.
 */
export interface EgressAllowance {
  destination: Cidr;
  port?: number;
}

function parseEntry(entry: string): EgressAllowance {
  const portMatch = /^(.*):(\d{1,5})$/.exec(entry);
  const destinationText = portMatch ? (portMatch[1] as string) : entry;
  const port = portMatch ? Number(portMatch[2]) : undefined;
  if (port !== undefined && (port < 1 || port > 65535)) {
    throw new Error(`"${entry}": the port must be between 1 and 65535`);
  }
  if (destinationText.includes(':') || destinationText.startsWith('[')) {
    throw new Error(`"${entry}": Studio networks are IPv4-only, so only IPv4 destinations can be allowed`);
  }
  const destination = parseCidr(destinationText);
  if (!destination) {
    throw new Error(
      `"${entry}": expected an IPv4 address or block, optionally with a port (10.0.0.5:3128, 10.1.0.0/16); ` +
        'names are not allowed because firewall rules cannot follow DNS',
    );
  }
  return port === undefined ? { destination } : { destination, port };
}

/** Reads a comma-separated list (`10.0.0.5:3128, 10.1.0.0/16`); empty entries are ignored. */
export function parseEgressAllowances(text: string): EgressAllowance[] {
  return text
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .map(parseEntry);
}

/** The entry as an operator would write it. */
export function formatEgressAllowance(allowance: EgressAllowance): string {
  const destination = formatCidr(allowance.destination).replace(/\/32$/, '');
  return allowance.port === undefined ? destination : `${destination}:${allowance.port}`;
}
