import { isIP } from 'node:net';
import { ErrorCode, StudiosError } from '@studios/protocol';

/** The part of the configuration the Host check needs. */
export interface HostPolicy {
  /** Its host is always answered to. */
  publicOrigin: string | undefined;
  /** More names (`studios.internal`, `*.studios.example.com`), lower-case. */
  allowedHosts: readonly string[];
}

/** The host name of a Host header (lower-cased, punycoded, IPv6 in brackets), or undefined. */
function hostnameOf(hostHeader: string): string | undefined {
  try {
    const url = new URL(`http://${hostHeader.trim()}`);
    if (url.username || url.password || url.pathname !== '/' || url.search || url.hash) return undefined;
    return url.hostname.replace(/\.$/, '');
  } catch {
    return undefined;
  }
}

function isIpLiteral(hostname: string): boolean {
  return isIP(hostname.replace(/^\[(.*)\]$/, '$1')) !== 0;
}

function matchesAllowed(hostname: string, allowed: string): boolean {
  return allowed.startsWith('*.') ? hostname.endsWith(allowed.slice(1)) : hostname === allowed;
}

/**
 * Whether the server answers a request whose Host header is `hostHeader`: the defence against
 * DNS rebinding, where a page on `evil.example` re-points its own name at this server and then
 * talks to it as "same origin", so the Origin check cannot tell. The attacker cannot choose
 * the Host header the browser sends — it is always the attacker's name — so only names this
 * server is meant to be reached by pass:
 *
 * - the public origin's host (STUDIOS_PUBLIC_ORIGIN) and the configured allowed hosts;
 * - loopback names: `localhost` and `*.localhost`, which browsers resolve to loopback themselves
 *   (per-Studio preview origins use them in development);
 * - any IP literal (`127.0.0.1:8080`, `[::1]`, a LAN address): a browser sends one only for a
 *   page loaded from that very address, and no DNS answer can make it, so it cannot be rebound.
 *   This keeps `http://<server-ip>:8080` and health probes by address working without set-up.
 *
 * Ports are not compared: rebinding is about names, and proxies rewrite ports freely.
 */
export function isAllowedHost(hostHeader: string | undefined, policy: HostPolicy): boolean {
  if (hostHeader === undefined) return false;
  const hostname = hostnameOf(hostHeader);
  if (!hostname) return false;
  if (hostname === 'localhost' || hostname.endsWith('.localhost') || isIpLiteral(hostname)) return true;
  if (policy.publicOrigin !== undefined && new URL(policy.publicOrigin).hostname === hostname) return true;
  return policy.allowedHosts.some((allowed) => matchesAllowed(hostname, allowed));
}

/** The refusal, naming the settings that would make the server answer to this host. */
export function badHostError(hostHeader: string | undefined): StudiosError {
  const hostname = hostHeader === undefined ? undefined : hostnameOf(hostHeader);
  const name = hostname ? `the host name "${hostname}"` : 'this Host header';
  return new StudiosError(
    ErrorCode.BadHost,
    `This server does not answer to ${name}. If that is how it is reached, set STUDIOS_PUBLIC_ORIGIN ` +
      'to its URL or add the name to STUDIOS_ALLOWED_HOSTS.',
  );
}
