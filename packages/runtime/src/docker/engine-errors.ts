import { ErrorCode } from '@studios/protocol';
import { RuntimeError } from '../runtime-error';

/** What dockerode attaches to a failed API call. */
interface EngineFailure {
  statusCode?: number;
  code?: string;
  message?: string;
  json?: { message?: string } | null;
}

/** The engine's own words for a failure, without dockerode's "(HTTP code 500) …" prefix. */
export function engineMessage(error: unknown): string {
  if (typeof error !== 'object' || error === null) return String(error);
  const failure = error as EngineFailure;
  return failure.json?.message ?? failure.message ?? String(error);
}

export function engineStatus(error: unknown): number | undefined {
  return typeof error === 'object' && error !== null ? (error as EngineFailure).statusCode : undefined;
}

export function isNotFound(error: unknown): boolean {
  return engineStatus(error) === 404;
}

/** "Already started/stopped" answers (304) are success for idempotent calls. */
export function isNotModified(error: unknown): boolean {
  return engineStatus(error) === 304;
}

export const GPU_UNAVAILABLE_MESSAGE =
  'This host has no NVIDIA GPU runtime, so GPU machine types cannot start here. ' +
  'Install the NVIDIA driver and the NVIDIA Container Toolkit on the host, or choose a CPU machine type.';

/** What to do about a missing image; the GPU image needs a registry, so it says where to build it. */
export function imageMissingMessage(image: string): string {
  if (image.startsWith('studios/gpu:')) {
    return (
      `The Studio image ${image} is not built on this host, and Studios cannot build it here (its CUDA base ` +
      `comes from a registry). On a host where \`docker pull nvidia/cuda\` works, run \`docker build -t ${image} ` +
      '-f docker/gpu/Dockerfile docker/gpu`, then load the image here, or choose a CPU machine type.'
    );
  }
  return `The Studio image ${image} is not built on this host. Run scripts/setup/ensure-images.sh`;
}

export function outOfMemoryMessage(memoryBytes: number | undefined): string {
  const limit = memoryBytes ? formatGigabytes(memoryBytes) : 'its limit';
  return `The Studio ran out of memory (limit ${limit}) and was stopped. Free memory in your program or switch to a larger machine type.`;
}

/** A process was OOM-killed while the Studio itself kept running. */
export function processOutOfMemoryMessage(memoryBytes: number | undefined): string {
  const limit = memoryBytes ? formatGigabytes(memoryBytes) : 'its limit';
  return `A process in the Studio ran out of memory (limit ${limit}) and was killed. The Studio is still running.`;
}

function formatGigabytes(bytes: number): string {
  const gb = bytes / 1024 ** 3;
  return `${Number.isInteger(gb) ? gb : gb.toFixed(1)} GB`;
}

/**
 * Turns an engine failure into a RuntimeError a user can act on. `context` names what we were
 * doing ("start the Studio") for failures we have no better words for.
 */
export function translateEngineError(
  error: unknown,
  context: string,
  details: { image?: string } = {},
): RuntimeError {
  if (error instanceof RuntimeError) return error;
  const text = engineMessage(error);
  const code = typeof error === 'object' && error !== null ? (error as EngineFailure).code : undefined;
  if (/could not select device driver "nvidia"/i.test(text)) {
    return new RuntimeError(ErrorCode.GpuUnavailable, GPU_UNAVAILABLE_MESSAGE, { cause: error });
  }
  if (code === 'ECONNREFUSED' || code === 'ENOENT' || code === 'EACCES' || code === 'ECONNRESET') {
    return new RuntimeError(
      ErrorCode.RuntimeError,
      `Could not ${context}: the Docker engine is not answering on this host (${code}). ` +
        'Run scripts/setup/ensure-docker.sh',
      { cause: error },
    );
  }
  if (/no such image|pull access denied|repository does not exist/i.test(text)) {
    const image = details.image ?? /image:? ([^\s,]+)/i.exec(text)?.[1] ?? 'studios/base:latest';
    return new RuntimeError(ErrorCode.RuntimeError, imageMissingMessage(image), { cause: error });
  }
  if (/non-overlapping IPv4 address pool/i.test(text)) {
    return new RuntimeError(
      ErrorCode.RuntimeError,
      'The Docker engine has no free network address range for another Studio. Stop unused Studios or add ' +
        '"default-address-pools" with small subnets (e.g. /24) to /etc/docker/daemon.json.',
      { cause: error },
    );
  }
  if (/bind source path does not exist|invalid mount config/i.test(text)) {
    return new RuntimeError(
      ErrorCode.RuntimeError,
      `The Studio's workspace folder is missing on the host: ${text}`,
      {
        cause: error,
      },
    );
  }
  if (/is not running|is paused/i.test(text)) {
    return new RuntimeError(ErrorCode.StudioNotRunning, 'The Studio is not running. Start it first.', {
      cause: error,
    });
  }
  if (isNotFound(error)) {
    return new RuntimeError(
      ErrorCode.NotFound,
      `The Studio's container does not exist, so we could not ${context}.`,
      {
        cause: error,
      },
    );
  }
  return new RuntimeError(ErrorCode.RuntimeError, `Could not ${context}: ${text}`, { cause: error });
}
