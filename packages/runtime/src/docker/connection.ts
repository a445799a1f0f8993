import Docker from 'dockerode';

/** How to reach the engine. Only a local socket: Studios never talks to Docker over TCP. */
export interface DockerConnectionOptions {
  /** Defaults to /var/run/docker.sock. */
  socketPath?: string;
}

export const DEFAULT_DOCKER_SOCKET = '/var/run/docker.sock';

/** The facts about the engine that decide how a container is built. */
export interface EngineInfo {
  cpus: number;
  runtimes: string[];
  cgroupVersion: string;
  serverVersion: string;
}

export function connectDocker(options: DockerConnectionOptions = {}): Docker {
  return new Docker({ socketPath: options.socketPath ?? DEFAULT_DOCKER_SOCKET });
}

/** True when the engine answers a ping within `timeoutMs`; used to choose a driver at startup. */
export async function dockerAnswers(
  options: DockerConnectionOptions = {},
  timeoutMs = 2000,
): Promise<boolean> {
  const docker = connectDocker(options);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    return await Promise.race([docker.ping().then(() => true), timeout]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

export async function readEngineInfo(docker: Docker): Promise<EngineInfo> {
  const info = (await docker.info()) as {
    NCPU?: number;
    Runtimes?: Record<string, unknown>;
    CgroupVersion?: string;
    ServerVersion?: string;
  };
  return {
    cpus: info.NCPU && info.NCPU > 0 ? info.NCPU : 1,
    runtimes: Object.keys(info.Runtimes ?? {}),
    cgroupVersion: info.CgroupVersion ?? '1',
    serverVersion: info.ServerVersion ?? 'unknown',
  };
}
