import { randomUUID } from 'node:crypto';
import { ErrorCode, type MachineType } from '@studios/protocol';
import type Docker from 'dockerode';
import { RuntimeError } from '../runtime-error';
import { WORKSPACE_PATH } from './container-spec';
import { translateEngineError } from './engine-errors';
import { startExec } from './exec-session';
import type { GpuProbe } from './gpu-probe';
import type { ContainerLifecycle } from './lifecycle';
import { candidateName, containerName, LABEL_MACHINE, retiringName, snapshotRepository } from './names';
import { singleFileTar } from './single-file-tar';

/** Written into the old container's own layer; the new container must still have it. */
const MARKER_PATH = '/.studios-switch-marker';

export interface MachineSwitchContext {
  docker: Docker;
  lifecycle: ContainerLifecycle;
  gpu: GpuProbe;
}

/**
 * Moves a Studio to another machine type without losing anything: stop, commit the container
 * to a snapshot image, create a container from the snapshot with the new limits and the same
 * /workspace, start and verify it, then swap names and remove the old container. Until the
 * swap, any failure removes what was built and restarts the old container as it was.
 */
export async function switchMachine(
  context: MachineSwitchContext,
  studioId: string,
  target: MachineType,
  onProgress: (message: string) => void = () => {},
  options: { rebuild?: boolean } = {},
): Promise<void> {
  const { docker, lifecycle } = context;
  const old = await lifecycle.inspectOrThrow(studioId);
  // `rebuild`: same machine, new container spec (a Studio created by an older Studios version).
  if (old.Config.Labels?.[LABEL_MACHINE] === target.id && !options.rebuild) return;
  const workspaceDir = old.Mounts.find((mount) => mount.Destination === WORKSPACE_PATH)?.Source;
  if (!workspaceDir) {
    throw new RuntimeError(
      ErrorCode.RuntimeError,
      'The Studio container has no /workspace mount; cannot switch it.',
    );
  }
  if (target.gpus > 0) {
    onProgress('Checking for GPUs on this host');
    const { runtimes } = await lifecycle.engineInfo();
    await context.gpu.assertAvailable(runtimes, old.Config.Image);
  }

  const wasRunning = old.State.Running;
  const token = randomUUID();
  const candidate = candidateName(studioId);
  let snapshot: string | undefined;
  let swapped = false;
  try {
    if (wasRunning) onProgress('Stopping the Studio');
    await lifecycle.stop(studioId);
    await docker.getContainer(old.Id).putArchive(singleFileTar(MARKER_PATH.slice(1), token), { path: '/' });

    onProgress('Saving the Studio (installed packages and settings)');
    const number = ((await lifecycle.snapshots(studioId)).at(-1)?.number ?? 0) + 1;
    const repository = snapshotRepository(studioId);
    await docker.getContainer(old.Id).commit({
      repo: repository,
      tag: String(number),
      pause: false,
      comment: `Studio ${studioId} before switching to ${target.id}`,
    });
    snapshot = `${repository}:${number}`;

    onProgress(`Starting the Studio on ${target.label}`);
    await lifecycle.removeContainer(candidate);
    await lifecycle.create({ studioId, workspaceDir, machine: target, name: candidate, image: snapshot });
    await lifecycle.start(studioId, candidate);
    await verify(docker.getContainer(candidate), token);

    onProgress('Finishing the switch');
    await docker.getContainer(old.Id).rename({ name: retiringName(studioId) });
    try {
      await docker.getContainer(candidate).rename({ name: containerName(studioId) });
    } catch (error) {
      await docker.getContainer(old.Id).rename({ name: containerName(studioId) });
      throw error;
    }
    swapped = true;
    await lifecycle.removeContainer(old.Id);
    if (!wasRunning) await lifecycle.stop(studioId);
    await lifecycle.removeSnapshots(studioId, new Set([snapshot]));
  } catch (error) {
    if (swapped) throw translateEngineError(error, 'finish the machine switch');
    await lifecycle.removeContainer(candidate).catch(() => {});
    if (snapshot) await lifecycle.removeSnapshots(studioId, new Set(snapshotsInUse(old))).catch(() => {});
    if (wasRunning) await lifecycle.start(studioId).catch(() => {});
    const reason = translateEngineError(error, `switch the Studio to ${target.label}`);
    throw new RuntimeError(reason.code, `${reason.message} The Studio is unchanged.`, { cause: error });
  }
}

/** The snapshot the old container runs from must survive a failed switch. */
function snapshotsInUse(info: Docker.ContainerInspectInfo): string[] {
  return [info.Config.Image];
}

/** The new container runs processes, kept the old container's layer and has /workspace mounted. */
async function verify(container: Docker.Container, token: string): Promise<void> {
  const session = await startExec(container, {
    cmd: [
      'sh',
      '-c',
      `test "$(cat ${MARKER_PATH})" = "$0" && grep -q " ${WORKSPACE_PATH} " /proc/self/mountinfo`,
      token,
    ],
    tty: false,
  });
  session.end();
  const code = await session.exit;
  session.dispose();
  if (code !== 0) {
    throw new RuntimeError(
      ErrorCode.RuntimeError,
      'The new machine did not pass its check (its files or /workspace were missing).',
    );
  }
}
