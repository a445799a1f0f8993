import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ErrorCode, type MachineType } from '@studios/protocol';
import type Docker from 'dockerode';
import { RuntimeError } from '../runtime-error';
import { isNotFound, translateEngineError } from './engine-errors';

/** docker/build-images.sh in this repository. */
export const DEFAULT_BUILD_SCRIPT = fileURLToPath(
  new URL('../../../../docker/build-images.sh', import.meta.url),
);

const PROGRESS_PREFIX = 'studios-build:';

/** Which Studio images exist on this engine, and building the ones that can be built here. */
export class ImageCatalog {
  readonly #docker: Docker;
  readonly #buildScript: string;

  constructor(docker: Docker, options: { buildScript?: string } = {}) {
    this.#docker = docker;
    this.#buildScript = options.buildScript ?? DEFAULT_BUILD_SCRIPT;
  }

  async exists(image: string): Promise<boolean> {
    try {
      await this.#docker.getImage(image).inspect();
      return true;
    } catch (error) {
      if (isNotFound(error)) return false;
      throw translateEngineError(error, 'check the Studio image', { image });
    }
  }

  /** The images of `machines` that are missing on this engine (each listed once). */
  async missing(machines: readonly MachineType[]): Promise<string[]> {
    const images = [...new Set(machines.map((machine) => machine.image))];
    const present = await Promise.all(images.map((image) => this.exists(image)));
    return images.filter((_, index) => !present[index]);
  }

  /**
   * Runs the offline image build (minutes on a fresh host) and relays its `studios-build:`
   * lines. Rejects with the script's last error line when it fails.
   */
  buildImages(onProgress: (message: string) => void = () => {}): Promise<void> {
    return new Promise((resolve, reject) => {
      const child = spawn('bash', [this.#buildScript], { stdio: ['ignore', 'pipe', 'pipe'] });
      let lastError = '';
      const relay = (stream: NodeJS.ReadableStream, isError: boolean) => {
        let pending = '';
        stream.on('data', (chunk: Buffer) => {
          pending += chunk.toString();
          const lines = pending.split('\n');
          pending = lines.pop() ?? '';
          for (const line of lines) {
            if (line.startsWith(PROGRESS_PREFIX)) onProgress(line.slice(PROGRESS_PREFIX.length).trim());
            if (isError && line.trim()) lastError = line.replace(PROGRESS_PREFIX, '').trim();
          }
        });
      };
      relay(child.stdout, false);
      relay(child.stderr, true);
      child.on('error', (error) =>
        reject(new RuntimeError(ErrorCode.RuntimeError, `Could not run the image build: ${error.message}`)),
      );
      child.on('close', (code) => {
        if (code === 0) resolve();
        else
          reject(
            new RuntimeError(
              ErrorCode.RuntimeError,
              `Building the Studio images failed: ${lastError || `exit ${code}`}`,
            ),
          );
      });
    });
  }
}
