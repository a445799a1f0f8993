// Vitest global set-up for packages whose tests start Studios through a default DockerDriver.
// Such a driver installs the server's firewall rules (STUDIOS-INPUT, STUDIOS-EGRESS), as the
// server would; this removes them after the run unless they were there before it (a Studios
// server running on this host), so a test run leaves the host's firewall as it found it.
import { IptablesFirewall } from '@studios/runtime';

export default async function setup(): Promise<() => Promise<void>> {
  const firewall = new IptablesFirewall();
  const before = await firewall.installed().catch(() => undefined);
  const installedByServer = before !== undefined && before.ipv4.length + before.ipv6.length > 0;
  return async () => {
    if (!installedByServer) await firewall.remove().catch(() => {});
  };
}
