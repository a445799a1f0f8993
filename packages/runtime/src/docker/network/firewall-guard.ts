import type { Logger } from '@studios/base';
import { type EgressAllowance, formatEgressAllowance } from './egress-allowance';
import { studioFirewallRules } from './firewall-rules';
import { FirewallError, type HostFirewall } from './host-firewall';
import { formatIpv4 } from './ipv4';

export interface FirewallGuardOptions {
  firewall: HostFirewall;
  bridgePrefix: string;
  allow: readonly EgressAllowance[];
  log: Logger;
  /** Docker's upstream DNS servers, re-read on every check (DHCP may change them). */
  readDnsServers: () => Promise<number[]>;
}

/** What is left open when the rules cannot be installed, for the warning. */
const NOT_ENFORCED =
  'Studio network isolation is NOT enforced: Studios can reach every port of this host (through ' +
  'their gateway and its other addresses), private networks (10/8, 172.16/12, 192.168/16, ' +
  '100.64/10) and cloud metadata (169.254.169.254)';

const REMEDY: Record<FirewallError['reason'], string> = {
  'not-permitted': 'Run the Studios server as root (it needs CAP_NET_ADMIN to change iptables).',
  'not-installed': 'Install iptables (Debian: apt-get install iptables) and restart the server.',
  failed: 'See the error above; the next Studio start tries again.',
};

/**
 * Keeps the Studio firewall installed for the Docker driver: `ensure()` before a Studio's
 * container is created or started and whenever the engine connection comes back (a dockerd
 * restart recreates Docker's chains; a firewall reload may drop ours). Cheap when nothing
 * changed (one `iptables-save` per family). It never throws: Studios still start without the
 * rules, and the log says plainly what is not enforced and how to fix it.
 */
export class FirewallGuard {
  readonly #options: FirewallGuardOptions;
  #running: Promise<void> | undefined;
  #installedOnce = false;
  #lastWarning: string | undefined;

  constructor(options: FirewallGuardOptions) {
    this.#options = options;
  }

  /** Checks the rules and installs or repairs them; concurrent callers share one check. */
  ensure(): Promise<void> {
    this.#running ??= this.#check().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  async #check(): Promise<void> {
    const { firewall, bridgePrefix, allow, log } = this.#options;
    try {
      const dnsServers = await this.#options.readDnsServers();
      const result = await firewall.apply(studioFirewallRules({ bridgePrefix, allow, dnsServers }));
      this.#lastWarning = undefined;
      if (result.changed) {
        const fields = {
          bridges: `${bridgePrefix}+`,
          families: result.families.join(','),
          allowed: allow.map(formatEgressAllowance).join(',') || 'none',
          dns: dnsServers.map(formatIpv4).join(',') || 'none',
        };
        if (this.#installedOnce) {
          log.warn(
            'Studio firewall rules were missing or changed (firewall reload?) and were reinstalled',
            fields,
          );
        } else {
          log.info('Studio firewall installed', fields);
        }
      }
      this.#installedOnce = true;
    } catch (error) {
      const reason = error instanceof FirewallError ? error.reason : 'failed';
      const message = `${NOT_ENFORCED}. ${REMEDY[reason]}`;
      const detail = error instanceof Error ? error.message : String(error);
      // Once per distinct failure: every Studio start re-checks, and the log must stay readable.
      if (this.#lastWarning === detail) return;
      this.#lastWarning = detail;
      log.warn(message, { error: detail });
    }
  }
}
