import { RoleAbility, TERMINAL_MAX_FRAME_BYTES } from '@studios/protocol';
import type { TerminalService } from '@studios/terminal';
import type { SocketRoute } from '../feature';
import type { TerminalActivity } from './terminals-feature';

/**
 * `WS /api/studios/:studioId/terminals/:terminalId` (protocol: packages/protocol/src/terminal.ts).
 * Viewers attach read-only: the terminal service drops their input frames. A role change on an
 * open socket takes effect at once. While the socket is open the Studio counts as in use.
 */
export function terminalSocketRoute(
  started: () => { service: TerminalService; activity: TerminalActivity | undefined },
): SocketRoute {
  return {
    pattern: '/api/studios/:studioId/terminals/:terminalId',
    minRole: 'viewer',
    maxPayload: TERMINAL_MAX_FRAME_BYTES,
    handle: (ws, ctx) => {
      const { service, activity } = started();
      const attachment = service.attach(ctx.studioId, ctx.params.terminalId ?? '', ws, {
        user: { id: ctx.user.id, name: ctx.user.name },
        canWrite: RoleAbility[ctx.role].write,
      });
      if (!attachment) return undefined;
      const awake = activity?.connected(ctx.studioId, 'terminal');
      ws.once('close', () => awake?.dispose());
      return { onRoleChange: (role) => attachment.setCanWrite(RoleAbility[role].write) };
    },
  };
}
