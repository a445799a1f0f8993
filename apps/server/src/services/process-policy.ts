import { ErrorCode, StudiosError } from '@studios/protocol';
import type { RuntimeDriver } from '@studios/runtime';

/**
 * Who may run processes in a Studio: terminals (later kernels and SSH sessions). The local
 * runtime runs them on the server's own machine, as one account, with no isolation between
 * people; so there only the instance admin (the first account) may, and everyone else can
 * still co-edit the files the admin shares. With Docker every Studio is its own container and
 * the Studio's roles decide.
 */
export function assertMayRunProcesses(driver: Pick<RuntimeDriver, 'kind'>, user: { isAdmin: boolean }): void {
  if (driver.kind === 'local' && !user.isAdmin) {
    throw new StudiosError(
      ErrorCode.LocalRuntimeAdminOnly,
      'This Studios server runs Studios as plain processes on its own machine (the local runtime), so only ' +
        'its administrator may use terminals, notebook kernels and SSH. Ask the administrator to set up Docker ' +
        '(scripts/setup/ensure-docker.sh) to give everyone their own isolated Studios.',
    );
  }
}
