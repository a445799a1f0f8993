import type Docker from 'dockerode';
import type { RuntimeStatus } from '../driver';
import { outOfMemoryMessage } from './engine-errors';
import { LABEL_MACHINE } from './names';

/**
 * A container's state in Studio words. A container that exited after `docker stop` (143) or
 * any other exit is `stopped`; only an OOM kill, a failed start or a dead container is an error.
 */
export function statusFromInspect(info: Docker.ContainerInspectInfo): RuntimeStatus {
  const machineTypeId = info.Config.Labels?.[LABEL_MACHINE];
  const withMachine = (status: RuntimeStatus): RuntimeStatus =>
    machineTypeId ? { ...status, machineTypeId } : status;
  const state = info.State;
  switch (state.Status) {
    case 'running':
      return withMachine({ state: 'running' });
    case 'restarting':
      return withMachine({ state: 'starting' });
    case 'removing':
      return withMachine({ state: 'stopping' });
    case 'dead':
      return withMachine({
        state: 'error',
        message: 'The Studio container is in a broken state (dead). Stopping and starting it again may help.',
      });
    default:
      break;
  }
  if (state.OOMKilled) {
    return withMachine({ state: 'error', message: outOfMemoryMessage(info.HostConfig.Memory) });
  }
  if (state.Error) {
    return withMachine({ state: 'error', message: `The Studio failed to start: ${state.Error}` });
  }
  return withMachine({ state: 'stopped' });
}

/** Equal statuses are not reported twice. */
export function sameStatus(a: RuntimeStatus | undefined, b: RuntimeStatus): boolean {
  return a?.state === b.state && a.message === b.message && a.machineTypeId === b.machineTypeId;
}
