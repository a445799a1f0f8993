import { join } from 'node:path';
import type { SshGatewayInfo } from '@studios/protocol';
import { type HostKey, loadOrCreateHostKey, SshGateway } from '@studios/ssh-gateway';
import type { Feature, FeatureContext } from '../feature';
import type { RuntimeController } from '../runtime';
import { SshBackend } from './ssh-backend';
import { type GatewayAddress, gatewayInfo } from './ssh-connect-info';
import { SshKeyService } from './ssh-key-service';
import { sshRoutes } from './ssh-routes';
import { SshSessionRegistry } from './ssh-session-registry';

export interface SshFeatureOptions {
  /** The runtime feature's controller: an SSH login wakes a sleeping Studio. */
  runtime: () => RuntimeController;
}

/** The feature plus its parts, for tests. */
export interface SshFeature extends Feature {
  readonly keys: SshKeyService;
  readonly sessions: SshSessionRegistry;
  /** The gateway as clients reach it; its port is the bound one once started. */
  info(): SshGatewayInfo;
}

/**
 * Remote-SSH: users' public keys, the gateway (VS Code, Cursor, ssh, sftp, scp) on
 * `STUDIOS_SSH_PORT`, and who is connected. The host key is made once and kept in the data dir;
 * sessions close when their key, their membership or their Studio goes.
 */
export function sshFeature(options: SshFeatureOptions) {
  return (context: FeatureContext): SshFeature => {
    const { config } = context;
    const log = context.log.child({ feature: 'ssh' });
    const keys = new SshKeyService(context.db, context.clock);
    const sessions = new SshSessionRegistry(context.events, context.clock);
    const keyRemoved = keys.onRemoved((keyId) => sessions.closeByKey(keyId, 'The SSH key was deleted.'));
    let hostKey: HostKey | undefined;
    let gateway: SshGateway | undefined;
    let boundPort: number | undefined;

    const address = (): GatewayAddress => ({
      enabled: boundPort !== undefined,
      host: config.ssh.publicHost ?? publicHostOf(config.publicOrigin, config.ssh.host),
      port: config.ssh.publicPort ?? boundPort ?? config.ssh.port ?? 2222,
    });
    const info = (): SshGatewayInfo => {
      if (!hostKey) throw new Error('the SSH host key is read when the feature starts');
      return gatewayInfo(address(), hostKey);
    };

    return {
      name: 'ssh',
      keys,
      sessions,
      info,
      apiRoutes: sshRoutes({ keys, sessions, gateway: info, driver: context.driver }),
      start: async () => {
        hostKey = await loadOrCreateHostKey(join(config.dataDir, 'ssh', 'ssh_host_ed25519_key'));
        if (config.ssh.port === null) {
          log.info('ssh gateway off (STUDIOS_SSH_PORT=off)');
          return;
        }
        const backend = new SshBackend({
          db: context.db,
          keys,
          access: context.access,
          sessions,
          runtime: options.runtime(),
          driver: context.driver,
          agents: context.agents,
          activity: context.activity,
          clock: context.clock,
          log,
        });
        gateway = new SshGateway({
          hostKey,
          backend,
          host: config.ssh.host,
          port: config.ssh.port,
          log,
          clock: context.clock,
        });
        try {
          boundPort = await gateway.listen();
        } catch (error) {
          throw new Error(
            `The SSH gateway cannot listen on ${config.ssh.host}:${config.ssh.port} (${(error as Error).message}). ` +
              'Set STUDIOS_SSH_PORT to a free port, or to off.',
            { cause: error },
          );
        }
      },
      onStudioDeleted: async (studioId) => sessions.closeStudio(studioId, 'The Studio was deleted.'),
      stop: async () => {
        keyRemoved.dispose();
        sessions.closeAll('The Studios server is shutting down.');
        await gateway?.close();
      },
    };
  };
}

/** The name users dial: the public origin's host, else the bound address (a wildcard means this machine). */
function publicHostOf(publicOrigin: string | undefined, bindHost: string): string {
  if (publicOrigin) return new URL(publicOrigin).hostname.replace(/^\[|\]$/g, '');
  return bindHost === '0.0.0.0' || bindHost === '::' ? 'localhost' : bindHost;
}
