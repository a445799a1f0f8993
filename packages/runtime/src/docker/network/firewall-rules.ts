import type { EgressAllowance } from './egress-allowance';
import { type Cidr, formatCidr, parseCidr } from './ipv4';

export type IpFamily = 'ipv4' | 'ipv6';

/**
 * The rules of one address family, in the two chains Studios owns: `input` (traffic from a
 * Studio to this host itself, hooked into INPUT) and `egress` (traffic a Studio sends through
 * this host, hooked into DOCKER-USER). Each rule is its iptables arguments after `-A <chain>`,
 * written the way `iptables-save` prints them so an installed rule set compares equal.
 */
export interface FamilyRules {
  family: IpFamily;
  input: string[][];
  egress: string[][];
}

/** What the rules depend on. */
export interface FirewallPolicy {
  /** Every Studio bridge's name starts with it; the rules match `<prefix>+`. */
  bridgePrefix: string;
  /** Destinations in blocked ranges that Studios may reach anyway (operator's setting). */
  allow: readonly EgressAllowance[];
  /** DNS servers Docker forwards Studios' lookups to (port 53 stays open to them). */
  dnsServers: readonly number[];
}

/**
 * Where a Studio must not go unless allowed: private networks (RFC 1918), carrier-grade NAT
 * (RFC 6598, also Tailscale's range), link-local (cloud metadata at 169.254.169.254),
 * "this network", loopback, multicast and reserved space. Everything else is the internet.
 */
export const BLOCKED_IPV4_RANGES: readonly string[] = [
  '0.0.0.0/8',
  '10.0.0.0/8',
  '100.64.0.0/10',
  '127.0.0.0/8',
  '169.254.0.0/16',
  '172.16.0.0/12',
  '192.168.0.0/16',
  '224.0.0.0/4',
  '240.0.0.0/4',
];

const ACCEPTED_REPLIES = ['-m', 'conntrack', '--ctstate', 'RELATED,ESTABLISHED', '-j', 'RETURN'];

/** `-j RETURN` hands the packet back to the chain that jumped here, where Docker accepts it. */
function allowRules(bridges: string[], allowance: EgressAllowance): string[][] {
  const destination = ['-d', formatCidr(allowance.destination), ...bridges];
  if (allowance.port === undefined) return [[...destination, '-j', 'RETURN']];
  return ['tcp', 'udp'].map((protocol) => [
    ...destination,
    '-p',
    protocol,
    '-m',
    protocol,
    '--dport',
    String(allowance.port),
    '-j',
    'RETURN',
  ]);
}

/** The operator's allowances, then DNS to Docker's upstream servers. */
function allowances(policy: FirewallPolicy): EgressAllowance[] {
  const dns = policy.dnsServers.map((address) => ({ destination: { address, prefix: 32 }, port: 53 }));
  return [...policy.allow, ...dns];
}

function ipv4Rules(policy: FirewallPolicy): FamilyRules {
  const bridges = ['-i', `${policy.bridgePrefix}+`];
  const reject = ['-j', 'REJECT', '--reject-with', 'icmp-admin-prohibited'];
  const allowed = allowances(policy).flatMap((allowance) => allowRules(bridges, allowance));
  const blocked = BLOCKED_IPV4_RANGES.map((range) => parseCidr(range) as Cidr);
  return {
    family: 'ipv4',
    // The host itself, on every address it has (the Studio's gateway, its LAN address, other
    // bridges): only replies to connections the host opened (the server reaching a Studio's
    // port) come back in.
    input: [[...bridges, ...ACCEPTED_REPLIES], ...allowed, [...bridges, ...reject]],
    egress: [
      // Studio to Studio, or within one Studio's network: Docker's isolation rules decide
      // (same network passes, another network is dropped), so bridges stay independent of
      // whether the pool lies in a blocked range.
      [...bridges, '-o', `${policy.bridgePrefix}+`, '-j', 'RETURN'],
      ...allowed,
      // REJECT rather than DROP: a blocked connection fails at once instead of hanging.
      ...blocked.map((range) => ['-d', formatCidr(range), ...bridges, ...reject]),
    ],
  };
}

/**
 * Studio networks carry no IPv6 (Docker disables it inside a container whose network has
 * none), so anything IPv6 arriving from a Studio bridge is refused outright.
 */
function ipv6Rules(policy: FirewallPolicy): FamilyRules {
  const bridges = ['-i', `${policy.bridgePrefix}+`];
  const reject = [...bridges, '-j', 'REJECT', '--reject-with', 'icmp6-adm-prohibited'];
  return { family: 'ipv6', input: [[...bridges, ...ACCEPTED_REPLIES], reject], egress: [reject] };
}

/** The whole rule set for both families. */
export function studioFirewallRules(policy: FirewallPolicy): FamilyRules[] {
  return [ipv4Rules(policy), ipv6Rules(policy)];
}
