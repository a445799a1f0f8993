import { createHash } from 'node:crypto';
import { ErrorCode } from '@studios/protocol';
import { RuntimeError } from '../runtime-error';

/** Labels every Studio container carries; the driver finds its containers by them. */
export const LABEL_STUDIO = 'io.studios.studio';
export const LABEL_MACHINE = 'io.studios.machine';
/** `sandbox` on a stopped Studio's files-only container; absent on the Studio's own. */
export const LABEL_ROLE = 'io.studios.role';

export const SNAPSHOT_REPOSITORY_PREFIX = 'studios-snapshot/';

/** Docker container and network names allow this; Studio ids outside it are refused up front. */
const STUDIO_ID = /^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,62}$/;

export function assertStudioId(studioId: string): void {
  if (!STUDIO_ID.test(studioId)) {
    throw new RuntimeError(
      ErrorCode.RuntimeError,
      `"${studioId}" is not a valid Studio id for the Docker runtime.`,
    );
  }
}

export function containerName(studioId: string): string {
  assertStudioId(studioId);
  return `studios-${studioId}`;
}

/** The container a machine switch builds next to the Studio's own, before it takes its name. */
export function candidateName(studioId: string): string {
  return `${containerName(studioId)}-next`;
}

/** The Studio's previous container while a switch swaps names. */
export function retiringName(studioId: string): string {
  return `${containerName(studioId)}-old`;
}

/** A stopped Studio's files-only sandbox (its agent, no network). */
export function sandboxName(studioId: string): string {
  return `${containerName(studioId)}-files`;
}

/** One bridge network per Studio, so Studios cannot reach each other. */
export function networkName(studioId: string): string {
  return containerName(studioId);
}

/**
 * Image repositories must be lowercase; ids that are not get a stable hash instead, so two
 * ids differing only in case never share snapshots.
 */
export function snapshotRepository(studioId: string): string {
  assertStudioId(studioId);
  const plain = /^[a-z0-9]+(?:[._-][a-z0-9]+)*$/.test(studioId);
  const name = plain ? studioId : `h-${createHash('sha256').update(studioId).digest('hex').slice(0, 20)}`;
  return `${SNAPSHOT_REPOSITORY_PREFIX}${name}`;
}
