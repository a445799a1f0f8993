import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { parseEgressAllowances } from './egress-allowance';
import { studioFirewallRules } from './firewall-rules';
import { IptablesFirewall } from './iptables-firewall';
import { parseIpv4 } from './ipv4';

/**
 * The hook chains' other rules, to show they come out as they went in. FORWARD and Docker's
 * own chains are left out: Docker rewrites them whenever any network (another test's, the
 * e2e loop's) comes or goes.
 */
function foreignHookRules(command: 'iptables' | 'ip6tables', ownPrefix: string): string[] {
  return execFileSync(`${command}-save`, ['-t', 'filter'], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => /^-A (INPUT|OUTPUT|DOCKER-USER) /.test(line) && !line.includes(ownPrefix));
}

// Real iptables on this host (as root), with chains of this run's own: the server's STUDIOS-*
// chains are never touched.
describe('IptablesFirewall on the real iptables', () => {
  const tag = randomBytes(3).toString('hex').toUpperCase();
  const chains = { input: `STUDIOS-T${tag}-IN`, egress: `STUDIOS-T${tag}-EG` };
  const firewall = new IptablesFirewall({ chains });
  const rules = studioFirewallRules({
    bridgePrefix: `stt${tag.toLowerCase().slice(0, 4)}`,
    allow: parseEgressAllowances('10.0.0.5:3128,192.168.50.0/24'),
    dnsServers: [parseIpv4('10.255.255.53') as number],
  });
  const prefix = `STUDIOS-T${tag}`;

  afterAll(async () => {
    await firewall.remove();
  });

  it('installs idempotently: the second apply changes nothing and the rule set is the same', async () => {
    const before = { v4: foreignHookRules('iptables', prefix), v6: foreignHookRules('ip6tables', prefix) };
    expect(await firewall.apply(rules)).toEqual({ changed: true, families: ['ipv4', 'ipv6'] });
    const first = await firewall.installed();
    expect(await firewall.apply(rules)).toEqual({ changed: false, families: ['ipv4', 'ipv6'] });
    expect(await firewall.installed()).toEqual(first);

    expect(first.ipv4).toEqual([
      `-A INPUT -j ${chains.input}`,
      `-A DOCKER-USER -j ${chains.egress}`,
      `-N ${chains.input}`,
      ...(rules[0]?.input ?? []).map((rule) => `-A ${chains.input} ${rule.join(' ')}`),
      `-N ${chains.egress}`,
      ...(rules[0]?.egress ?? []).map((rule) => `-A ${chains.egress} ${rule.join(' ')}`),
    ]);
    // First in their hooks, so no accept rule of Docker's (or anyone's) runs before them.
    expect(execFileSync('iptables', ['-S', 'INPUT'], { encoding: 'utf8' }).split('\n')[1]).toBe(
      `-A INPUT -j ${chains.input}`,
    );
    expect(execFileSync('iptables', ['-S', 'DOCKER-USER'], { encoding: 'utf8' }).split('\n')[1]).toBe(
      `-A DOCKER-USER -j ${chains.egress}`,
    );
    expect(first.ipv6).toContain(`-A FORWARD -j ${chains.egress}`);
    expect({ v4: foreignHookRules('iptables', prefix), v6: foreignHookRules('ip6tables', prefix) }).toEqual(
      before,
    );
  });

  it('puts back a jump someone deleted (a firewall reload, a script flushing DOCKER-USER)', async () => {
    await firewall.apply(rules);
    const complete = await firewall.installed();
    execFileSync('iptables', ['-w', '5', '-D', 'DOCKER-USER', '-j', chains.egress]);
    expect((await firewall.installed()).ipv4).not.toContain(`-A DOCKER-USER -j ${chains.egress}`);
    expect((await firewall.apply(rules)).changed).toBe(true);
    expect(await firewall.installed()).toEqual(complete);
  });

  it('removes cleanly: no chain of ours and no jump to one remains, in either family', async () => {
    await firewall.apply(rules);
    await firewall.remove();
    for (const family of ['iptables', 'ip6tables']) {
      const saved = execFileSync(`${family}-save`, { encoding: 'utf8' });
      expect(saved.includes(prefix), family).toBe(false);
    }
    expect(await firewall.installed()).toEqual({ ipv4: [], ipv6: [] });
    await firewall.remove(); // Nothing left to remove is not an error.
  });
});
