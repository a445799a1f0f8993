import { randomUUID } from 'node:crypto';
import type { Clock } from '@studios/base';
import { ErrorCode } from '@studios/protocol';
import type Docker from 'dockerode';
import { RuntimeError } from '../runtime-error';
import { GPU_UNAVAILABLE_MESSAGE, translateEngineError } from './engine-errors';

/** A negative answer is re-checked after this long: the operator may install the toolkit meanwhile. */
const NEGATIVE_TTL_MS = 60_000;

/**
 * Whether this engine can give a container an NVIDIA GPU. `docker info` lists an `nvidia`
 * runtime only with the legacy setup; with the toolkit's hook the only proof is a container that
 * starts with a GPU device request. So: the runtime list first, then a throwaway container.
 */
export class GpuProbe {
  readonly #docker: Docker;
  readonly #clock: Clock;
  #answer: { available: boolean; at: number } | undefined;

  constructor(docker: Docker, clock: Clock) {
    this.#docker = docker;
    this.#clock = clock;
  }

  /** Throws GpuUnavailable (with words a user understands) unless a GPU container can start. */
  async assertAvailable(runtimes: readonly string[], probeImage: string): Promise<void> {
    if (!(await this.#available(runtimes, probeImage))) {
      throw new RuntimeError(ErrorCode.GpuUnavailable, GPU_UNAVAILABLE_MESSAGE);
    }
  }

  async #available(runtimes: readonly string[], probeImage: string): Promise<boolean> {
    if (runtimes.includes('nvidia')) return true;
    const cached = this.#answer;
    if (cached && (cached.available || this.#clock.now() - cached.at < NEGATIVE_TTL_MS))
      return cached.available;
    const available = await this.#probe(probeImage);
    this.#answer = { available, at: this.#clock.now() };
    return available;
  }

  async #probe(image: string): Promise<boolean> {
    let container: Docker.Container | undefined;
    try {
      container = await this.#docker.createContainer({
        name: `studios-gpu-probe-${randomUUID().slice(0, 8)}`,
        Image: image,
        Cmd: ['true'],
        HostConfig: {
          NetworkMode: 'none',
          CapDrop: ['ALL'],
          SecurityOpt: ['no-new-privileges'],
          DeviceRequests: [{ Driver: 'nvidia', Count: 1, Capabilities: [['gpu']] }],
        },
      });
      await container.start();
      return true;
    } catch (error) {
      const translated = translateEngineError(error, 'check for GPUs');
      if (translated.code === ErrorCode.GpuUnavailable) return false;
      throw translated;
    } finally {
      await container?.remove({ force: true }).catch(() => {});
    }
  }
}
