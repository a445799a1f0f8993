import type { Logger } from '@studios/base';
import {
  type AgentHostPaths,
  assertLocalDriverAllowed,
  DockerDriver,
  dockerAnswers,
  LocalDriver,
  lookUpLocalUser,
  MachineCatalog,
  type RuntimeDriver,
} from '@studios/runtime';
import type { Config } from '../../config';

/**
 * Docker when the engine answers (or when asked for explicitly), else the local driver — which
 * runs Studios as the server's own user, so it refuses a server others can reach unless the
 * operator opted in (STUDIOS_ALLOW_LOCAL_RUNTIME_REMOTE).
 */
export async function chooseRuntimeDriver(
  config: Config,
  log: Logger,
  agent: AgentHostPaths,
): Promise<RuntimeDriver> {
  const catalog = new MachineCatalog(config.machineTypes);
  // An agent that died says why on stderr: that goes to the log, never to users.
  const onAgentOutput = (studioId: string, text: string) => log.warn('agent output', { studioId, text });
  if (config.runtime === 'docker' || (config.runtime === 'auto' && (await dockerAnswers()))) {
    if (config.runtime === 'docker' && !(await dockerAnswers())) {
      throw new Error(
        'STUDIOS_RUNTIME=docker but the Docker engine does not answer on /var/run/docker.sock. ' +
          'Run scripts/setup/ensure-docker.sh',
      );
    }
    log.info('runtime: docker');
    return new DockerDriver({
      catalog,
      agent,
      onAgentOutput,
      workspaceOwner: config.workspaceOwner,
      network: { pool: config.studioNetwork.pool },
      egressAllow: config.studioNetwork.egressAllow,
      log: log.child({ component: 'runtime' }),
    });
  }
  assertLocalDriverAllowed({ host: config.host, allowRemote: config.allowLocalRuntimeRemote });
  // Never a root shell: a root server runs Studio processes as the configured unprivileged user.
  const user = config.localUser ? lookUpLocalUser(config.localUser) : undefined;
  log.warn('runtime: local processes (no container isolation; only the admin may run processes)', {
    host: config.host,
    ...(user ? { user: user.name } : {}),
  });
  return new LocalDriver({ agent, onAgentOutput, ...(user ? { user } : {}) });
}
