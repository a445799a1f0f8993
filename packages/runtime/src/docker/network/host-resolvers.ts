import { readFile } from 'node:fs/promises';
import { parseIpv4 } from './ipv4';

/** The IPv4 `nameserver` lines of a resolv.conf. */
export function parseNameservers(resolvConf: string): number[] {
  const servers: number[] = [];
  for (const line of resolvConf.split('\n')) {
    const match = /^\s*nameserver\s+(\S+)/.exec(line);
    const address = match ? parseIpv4(match[1] as string) : undefined;
    if (address !== undefined) servers.push(address);
  }
  return servers;
}

async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return '';
  }
}

const LOOPBACK = (address: number) => address >>> 24 === 127;

/**
 * The DNS servers Docker's embedded resolver forwards Studios' lookups to. Docker 20.10 dials
 * them from inside the container's network namespace (except loopback ones, which it reaches
 * from the host), so the lookups cross the Studio bridge like any other packet: when a server
 * sits in a blocked range (a VPC resolver at 10.x.0.2, a home router at 192.168.1.1), the
 * firewall must let DNS to it through or `pip install` fails on name resolution.
 *
 * Docker's own sources, in its order: `dns` in daemon.json, else the host's resolv.conf (the
 * systemd-resolved upstream list when resolv.conf points at its 127.0.0.53 stub).
 */
export async function readDockerDnsServers(
  paths = {
    daemonJson: '/etc/docker/daemon.json',
    resolvConf: '/etc/resolv.conf',
    systemdResolvConf: '/run/systemd/resolve/resolv.conf',
  },
): Promise<number[]> {
  try {
    const configured = (JSON.parse((await readText(paths.daemonJson)) || '{}') as { dns?: unknown }).dns;
    if (Array.isArray(configured) && configured.length > 0) {
      return configured.flatMap((entry) => {
        const address = typeof entry === 'string' ? parseIpv4(entry) : undefined;
        return address === undefined ? [] : [address];
      });
    }
  } catch {
    // A daemon.json dockerd itself would refuse; fall back to the host's resolver list.
  }
  const host = parseNameservers(await readText(paths.resolvConf));
  if (host.length > 0 && host.every(LOOPBACK)) {
    const upstream = parseNameservers(await readText(paths.systemdResolvConf));
    if (upstream.length > 0) return upstream;
  }
  return host.filter((address) => !LOOPBACK(address));
}
