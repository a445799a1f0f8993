import {
  ErrorCode,
  StudiosError,
  TerminalCreateBody,
  TerminalInfo,
  TerminalRenameBody,
} from '@studios/protocol';
import { isRuntimeError, type RuntimeDriver } from '@studios/runtime';
import type { TerminalService } from '@studios/terminal';
import { z } from 'zod';
import { errors } from '../../errors';
import { requireStudioRole } from '../../http/authenticate';
import { type ApiRoute, defineRoute } from '../../http/route-table';
import { assertMayRunProcesses } from '../../services/process-policy';

const TAG = 'terminals';
const DEFAULT_SIZE = { cols: 80, rows: 24 };

function studioNotRunning(): StudiosError {
  return new StudiosError(
    ErrorCode.StudioNotRunning,
    'The Studio is not running. Start it, then open a terminal.',
  );
}

const terminalNotFound = () => errors.notFound('Terminal not found');

/** REST for a Studio's terminals: list (viewer+), create, rename and close (editor+). */
export function terminalRoutes({
  driver,
  service,
}: {
  driver: RuntimeDriver;
  service: TerminalService;
}): ApiRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/studios/:id/terminals',
      tag: TAG,
      summary: "List the Studio's terminals",
      response: z.array(TerminalInfo),
      handler: (c) => {
        const { user, studio } = requireStudioRole(c, c.req.param('id') as string, 'viewer');
        assertMayRunProcesses(driver, user);
        return service.list(studio.id);
      },
    }),
    defineRoute({
      method: 'post',
      path: '/studios/:id/terminals',
      tag: TAG,
      summary: 'Open a shared terminal (a login shell in /workspace)',
      body: TerminalCreateBody,
      response: TerminalInfo,
      status: 201,
      handler: async (c, body) => {
        const { user, studio } = requireStudioRole(c, c.req.param('id') as string, 'editor');
        assertMayRunProcesses(driver, user);
        if ((await driver.status(studio.id)).state !== 'running') throw studioNotRunning();
        try {
          return await service.create(studio.id, {
            cols: body.cols ?? DEFAULT_SIZE.cols,
            rows: body.rows ?? DEFAULT_SIZE.rows,
            createdBy: user.id,
            ...(body.name ? { name: body.name } : {}),
          });
        } catch (error) {
          // The Studio may have stopped between the check and the exec.
          if (isRuntimeError(error, 'studio_not_running')) throw studioNotRunning();
          throw error;
        }
      },
    }),
    defineRoute({
      method: 'patch',
      path: '/studios/:id/terminals/:tid',
      tag: TAG,
      summary: 'Rename a terminal',
      body: TerminalRenameBody,
      response: TerminalInfo,
      handler: (c, body) => {
        const { user, studio } = requireStudioRole(c, c.req.param('id') as string, 'editor');
        assertMayRunProcesses(driver, user);
        const renamed = service.rename(studio.id, c.req.param('tid') as string, body.name);
        if (!renamed) throw terminalNotFound();
        return renamed;
      },
    }),
    defineRoute({
      method: 'delete',
      path: '/studios/:id/terminals/:tid',
      tag: TAG,
      summary: 'Close a terminal for everyone (kills its shell)',
      status: 204,
      handler: (c) => {
        const { user, studio } = requireStudioRole(c, c.req.param('id') as string, 'editor');
        assertMayRunProcesses(driver, user);
        if (!service.close(studio.id, c.req.param('tid') as string)) throw terminalNotFound();
      },
    }),
  ];
}
