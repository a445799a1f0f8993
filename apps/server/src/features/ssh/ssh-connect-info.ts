import { type SshConnectInfo, type SshGatewayInfo, studioSlug } from '@studios/protocol';
import type { HostKey } from '@studios/ssh-gateway';

/** Where users' SSH clients find the gateway. */
export interface GatewayAddress {
  enabled: boolean;
  host: string;
  port: number;
}

/**
 * One alias for the gateway's host key, the same for every Studio of this instance, so a user
 * pins it once (`HostKeyAlias`) whatever Studio they connect to, and a new host name for the
 * same server does not ask them to trust a "new" key.
 */
export function hostKeyAlias(address: Pick<GatewayAddress, 'host'>): string {
  return `studios-${address.host.replace(/[^A-Za-z0-9.-]/g, '')}`;
}

export function gatewayInfo(address: GatewayAddress, hostKey: HostKey): SshGatewayInfo {
  const alias = hostKeyAlias(address);
  return {
    enabled: address.enabled,
    host: address.host,
    port: address.port,
    hostKey: {
      algorithm: hostKey.algorithm,
      fingerprint: hostKey.fingerprint,
      publicKey: hostKey.publicKey,
    },
    hostKeyAlias: alias,
    knownHostsLine: `${alias} ${hostKey.publicKey}`,
  };
}

/** The placeholder the client replaces with the key it will use. */
export const DEFAULT_IDENTITY_FILE = '~/.ssh/id_ed25519';

/**
 * How to reach one Studio: the `~/.ssh/config` block (pinned host key, never
 * `StrictHostKeyChecking no` as some peers generate) and the editors' links.
 */
export function connectInfo(gateway: SshGatewayInfo, studio: { id: string; name: string }): SshConnectInfo {
  // The id's first characters keep two Studios of the same name apart in one ~/.ssh/config.
  const hostAlias = `studios-${studioSlug(studio.name)}-${studio.id.slice(0, 6)}`;
  const sshConfig = [
    `Host ${hostAlias}`,
    `  HostName ${gateway.host}`,
    `  Port ${gateway.port}`,
    `  User ${studio.id}`,
    `  IdentityFile ${DEFAULT_IDENTITY_FILE}`,
    '  IdentitiesOnly yes',
    `  HostKeyAlias ${gateway.hostKeyAlias}`,
    '  StrictHostKeyChecking yes',
    '  ServerAliveInterval 30',
    '',
  ].join('\n');
  return {
    gateway,
    user: studio.id,
    hostAlias,
    sshConfig,
    vscodeUri: `vscode://vscode-remote/ssh-remote+${hostAlias}/workspace`,
    cursorUri: `cursor://vscode-remote/ssh-remote+${hostAlias}/workspace`,
  };
}
