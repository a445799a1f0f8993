import { ErrorCode, MachineSwitchBody, StudiosError } from '@studios/protocol';
import { Hono } from 'hono';
import type { AppEnv } from '../../http/app-env';
import { requireStudioRole } from '../../http/authenticate';
import { readJsonBody } from '../../http/route-table';
import type { RuntimeController } from './runtime-controller';

/**
 * `POST /api/studios/:id/{start,stop,machine}` → 202 with the runtime status; the outcome follows
 * as `runtime` events. A plain Hono app rather than `defineRoute`, which has no 202.
 */
export function runtimeRoutes(controller: RuntimeController): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  // Any member may wake a Studio (a viewer opening it); stopping needs an editor.
  routes.post('/studios/:id/start', (c) => {
    const { studio } = requireStudioRole(c, c.req.param('id'), 'viewer');
    return c.json(controller.start(studio.id), 202);
  });
  routes.post('/studios/:id/stop', (c) => {
    const { studio } = requireStudioRole(c, c.req.param('id'), 'editor');
    return c.json(controller.stop(studio.id), 202);
  });
  routes.post('/studios/:id/machine', async (c) => {
    const { studio } = requireStudioRole(c, c.req.param('id'), 'owner');
    const body = await readJsonBody(c, MachineSwitchBody);
    const machine = c.get('services').studios.machineType(body.machineType);
    if (!machine) {
      throw new StudiosError(ErrorCode.UnknownMachineType, `There is no machine type "${body.machineType}"`);
    }
    return c.json(await controller.switchMachine(studio.id, machine), 202);
  });
  return routes;
}
