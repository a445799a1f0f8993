import type { Logger } from '@studios/base';
import {
  assertLocalDriverAllowed,
  DockerDriver,
  dockerAnswers,
  LocalDriver,
  MachineCatalog,
  type RuntimeDriver,
} from '@studios/runtime';
import type { Config } from '../../config';

/**
 * Docker when the engine answers (or when asked for explicitly), else the local driver — which
 * runs Studios as the server's own user, so it refuses a server others can reach unless the
 * operator opted in (STUDIOS_ALLOW_LOCAL_RUNTIME_REMOTE).
 */
export async function chooseRuntimeDriver(config: Config, log: Logger): Promise<RuntimeDriver> {
  const catalog = new MachineCatalog(config.machineTypes);
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
      network: { pool: config.studioNetwork.pool },
      egressAllow: config.studioNetwork.egressAllow,
      log: log.child({ component: 'runtime' }),
    });
  }
  assertLocalDriverAllowed({ host: config.host, allowRemote: config.allowLocalRuntimeRemote });
  log.warn('runtime: local processes (no container isolation)', { host: config.host });
  return new LocalDriver();
}
