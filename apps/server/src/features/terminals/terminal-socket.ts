import { RoleAbility, TERMINAL_MAX_FRAME_BYTES } from '@studios/protocol';
import type { RuntimeDriver } from '@studios/runtime';
import type { TerminalService } from '@studios/terminal';
import { assertMayRunProcesses } from '../../services/process-policy';
import type { SocketRoute } from '../feature';

/**
 * `WS /api/studios/:studioId/terminals/:terminalId` (protocol: packages/protocol/src/terminal.ts).
 * Viewers attach read-only: the terminal service drops their input frames. A role change on an
 * open socket takes effect at once.
 */
export function terminalSocketRoute(
  service: TerminalService,
  driver: Pick<RuntimeDriver, 'kind'>,
): SocketRoute {
  return {
    pattern: '/api/studios/:studioId/terminals/:terminalId',
    minRole: 'viewer',
    maxPayload: TERMINAL_MAX_FRAME_BYTES,
    admit: ({ user }) => assertMayRunProcesses(driver, user),
    handle: (ws, ctx) => {
      const attachment = service.attach(ctx.studioId, ctx.params.terminalId ?? '', ws, {
        user: { id: ctx.user.id, name: ctx.user.name },
        canWrite: RoleAbility[ctx.role].write,
      });
      if (!attachment) return undefined;
      return { onRoleChange: (role) => attachment.setCanWrite(RoleAbility[role].write) };
    },
  };
}
