// Set-up command for the Studio firewall (run by scripts/setup/studios-firewall.sh, as root):
// the rules the Docker driver keeps installed while the server runs, for operators who want
// them in place before the first start, to look at them, or to remove them for good.
import {
  DEFAULT_BRIDGE_PREFIX,
  FirewallError,
  IptablesFirewall,
  readDockerDnsServers,
  studioFirewallRules,
} from '@studios/runtime';
import { ConfigError, loadConfig } from './config';

const USAGE = `usage: studios-firewall.sh install | remove | show

  install  install the Studio firewall rules now (the server also does this when it starts Studios)
  remove   remove the chains STUDIOS-INPUT and STUDIOS-EGRESS and the jumps to them
           (stop the server first: it reinstalls the rules at the next Studio start)
  show     print the installed rules`;

async function main(command: string | undefined): Promise<number> {
  const firewall = new IptablesFirewall();
  switch (command) {
    case 'install': {
      const { studioNetwork } = loadConfig(process.env);
      const rules = studioFirewallRules({
        bridgePrefix: DEFAULT_BRIDGE_PREFIX,
        allow: studioNetwork.egressAllow,
        dnsServers: await readDockerDnsServers(),
      });
      const { changed, families } = await firewall.apply(rules);
      console.log(`${changed ? 'installed' : 'already installed'} (${families.join(', ')})`);
      return 0;
    }
    case 'remove':
      await firewall.remove();
      console.log('removed');
      return 0;
    case 'show': {
      const installed = await firewall.installed();
      for (const [family, lines] of Object.entries(installed)) {
        console.log(`# ${family}${lines.length === 0 ? ': none' : ''}`);
        for (const line of lines) console.log(line);
      }
      return 0;
    }
    default:
      console.error(USAGE);
      return 2;
  }
}

try {
  process.exitCode = await main(process.argv[2]);
} catch (error) {
  if (!(error instanceof FirewallError || error instanceof ConfigError)) throw error;
  console.error(`studios-firewall: ${error.message}`);
  process.exitCode = 1;
}
