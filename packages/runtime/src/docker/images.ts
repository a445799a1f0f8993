import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ErrorCode, type MachineType } from '@studios/protocol';
import type Docker from 'dockerode';
import type { Progress } from '../driver';
import { RuntimeError } from '../runtime-error';
import { buildErrorReason, parseBuildLine } from './build-progress';
import { isNotFound, translateEngineError } from './engine-errors';

/** docker/build-images.sh in this repository. */
export const DEFAULT_BUILD_SCRIPT = fileURLToPath(
  new URL('../../../../docker/build-images.sh', import.meta.url),
);

/** The images docker/build-images.sh can build (it tags its result as STUDIOS_BASE_IMAGE). */
export function isBuildableImage(image: string): boolean {
  return /^studios\/base:[A-Za-z0-9._-]+$/.test(image);
}

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
   * Runs the offline image build for `image` (minutes on a fresh host) and relays its
   * `studios-build:` lines. Rejects with the script's reason and what to do when it fails.
   */
  buildImage(
    image: string,
    onProgress: (progress: Progress) => void = () => {},
    signal?: AbortSignal,
  ): Promise<void> {
    return new Promise((resolve, reject) => {
      const child = spawn('bash', [this.#buildScript], {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, STUDIOS_BASE_IMAGE: image },
        ...(signal ? { signal } : {}),
      });
      let reason = '';
      let lastOutput = '';
      readLines(child.stdout, (line) => {
        const progress = parseBuildLine(line);
        if (progress) onProgress(progress);
        else if (line.trim()) lastOutput = buildErrorReason(line);
      });
      readLines(child.stderr, (line) => {
        if (line.trim()) reason = buildErrorReason(line);
      });
      child.on('error', (error) =>
        reject(
          new RuntimeError(
            ErrorCode.RuntimeError,
            `Could not run the Studio image build (${this.#buildScript}): ${error.message}`,
            { cause: error },
          ),
        ),
      );
      child.on('close', (code, killedBy) => {
        if (code === 0) return resolve();
        const said = (reason || lastOutput).replace(/[.\s]+$/, '');
        const why = said || (killedBy ? `stopped by ${killedBy}` : `exit code ${code}`);
        reject(
          new RuntimeError(
            ErrorCode.RuntimeError,
            `Building the Studio image ${image} failed: ${why}. Fix that on the host (or run ` +
              'scripts/setup/ensure-images.sh as root to see the whole build), then start the Studio again.',
          ),
        );
      });
    });
  }
}

function readLines(stream: NodeJS.ReadableStream, onLine: (line: string) => void): void {
  let pending = '';
  stream.on('data', (chunk: Buffer) => {
    pending += chunk.toString();
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) onLine(line);
  });
  stream.on('end', () => {
    if (pending) onLine(pending);
  });
}
