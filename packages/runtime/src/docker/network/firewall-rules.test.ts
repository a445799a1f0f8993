import { describe, expect, it } from 'vitest';
import { parseEgressAllowances } from './egress-allowance';
import { BLOCKED_IPV4_RANGES, studioFirewallRules } from './firewall-rules';
import { parseIpv4 } from './ipv4';

const lines = (rules: string[][]) => rules.map((rule) => rule.join(' '));

describe('the Studio firewall rule set', () => {
  const [ipv4, ipv6] = studioFirewallRules({
    bridgePrefix: 'studios',
    allow: parseEgressAllowances('10.0.0.5:3128,192.168.50.0/24'),
    dnsServers: [parseIpv4('10.255.255.53') as number],
  });

  it('lets only replies from a Studio bridge reach the host, plus what is allowed, on every host address', () => {
    expect(lines(ipv4?.input ?? [])).toEqual([
      '-i studios+ -m conntrack --ctstate RELATED,ESTABLISHED -j RETURN',
      '-d 10.0.0.5/32 -i studios+ -p tcp -m tcp --dport 3128 -j RETURN',
      '-d 10.0.0.5/32 -i studios+ -p udp -m udp --dport 3128 -j RETURN',
      '-d 192.168.50.0/24 -i studios+ -j RETURN',
      '-d 10.255.255.53/32 -i studios+ -p tcp -m tcp --dport 53 -j RETURN',
      '-d 10.255.255.53/32 -i studios+ -p udp -m udp --dport 53 -j RETURN',
      '-i studios+ -j REJECT --reject-with icmp-admin-prohibited',
    ]);
  });

  it('refuses private, link-local and special ranges for forwarded traffic, after the allowances', () => {
    const egress = lines(ipv4?.egress ?? []);
    expect(egress[0]).toBe('-i studios+ -o studios+ -j RETURN');
    expect(egress.slice(1, 6)).toEqual(lines(ipv4?.input.slice(1, 6) ?? []));
    expect(egress.slice(6)).toEqual(
      BLOCKED_IPV4_RANGES.map(
        (range) => `-d ${range} -i studios+ -j REJECT --reject-with icmp-admin-prohibited`,
      ),
    );
    for (const range of [
      '10.0.0.0/8',
      '172.16.0.0/12',
      '192.168.0.0/16',
      '100.64.0.0/10',
      '169.254.0.0/16',
    ]) {
      expect(BLOCKED_IPV4_RANGES).toContain(range);
    }
    // The internet is never named: whatever is not blocked falls through to Docker's accept rules.
    expect(egress.some((rule) => rule.includes('0.0.0.0/0'))).toBe(false);
  });

  it('refuses all IPv6 from Studio bridges (their networks have none) but replies to the host', () => {
    expect(ipv6?.family).toBe('ipv6');
    expect(lines(ipv6?.input ?? [])).toEqual([
      '-i studios+ -m conntrack --ctstate RELATED,ESTABLISHED -j RETURN',
      '-i studios+ -j REJECT --reject-with icmp6-adm-prohibited',
    ]);
    expect(lines(ipv6?.egress ?? [])).toEqual(['-i studios+ -j REJECT --reject-with icmp6-adm-prohibited']);
  });
});
