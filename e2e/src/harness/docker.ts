import { existsSync } from 'node:fs';
import { request } from 'node:http';

const DOCKER_SOCKET = '/var/run/docker.sock';

/** Whether a Docker engine socket is present (the server then picks the Docker runtime). */
export function dockerAvailable(): boolean {
  return existsSync(DOCKER_SOCKET);
}

/**
 * The engine's state of a Studio's container (`running`, `exited`, ...) or null when there is
 * none: lets a spec check that what the page shows is what Docker really did. The container is
 * named `studios-<studioId>` by the Docker driver.
 */
export async function studioContainerState(studioId: string): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const call = request(
      { socketPath: DOCKER_SOCKET, path: `/containers/studios-${studioId}/json`, method: 'GET' },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          body += chunk;
        });
        response.on('end', () => {
          if (response.statusCode === 404) return resolve(null);
          if (response.statusCode !== 200)
            return reject(new Error(`docker inspect: ${response.statusCode} ${body}`));
          resolve((JSON.parse(body) as { State: { Status: string } }).State.Status);
        });
      },
    );
    call.on('error', reject);
    call.end();
  });
}
