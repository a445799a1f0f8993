import {
  KernelSpecList,
  NotebookClearOutputsBody,
  NotebookInputBody,
  NotebookKernelBody,
  NotebookRunBody,
  type NotebookUser,
} from '@studios/protocol';
import type { RuntimeDriver } from '@studios/runtime';
import { z } from 'zod';
import { requireStudioRole } from '../../http/authenticate';
import { type ApiRoute, defineRoute } from '../../http/route-table';
import { assertMayRunProcesses } from '../../services/process-policy';

const TAG = 'notebooks';

/** What the routes ask of the notebooks service; every call names the Studio and the person. */
export interface NotebookCommands {
  kernelspecs(studioId: string): Promise<KernelSpecList>;
  run(studioId: string, body: NotebookRunBody, by: NotebookUser): Promise<number>;
  kernel(studioId: string, body: NotebookKernelBody, by: NotebookUser): Promise<void>;
  answerInput(studioId: string, body: NotebookInputBody, by: NotebookUser): Promise<void>;
  clearOutputs(studioId: string, body: NotebookClearOutputsBody): Promise<void>;
}

/**
 * REST for notebooks: browsers ask, the server runs the kernel and writes what happens into the
 * shared document, which is where everyone (the asker included) sees the result. Running
 * anything needs an editor; the local runtime also needs the instance admin (its kernels are
 * processes on the server's machine).
 */
export function notebookRoutes({
  driver,
  commands,
}: {
  driver: Pick<RuntimeDriver, 'kind'>;
  commands: NotebookCommands;
}): ApiRoute[] {
  const editor = (c: Parameters<ApiRoute['handler']>[0]) => {
    const { user, studio } = requireStudioRole(c, c.req.param('id') as string, 'editor');
    assertMayRunProcesses(driver, user);
    return { studioId: studio.id, by: { id: user.id, name: user.name } };
  };
  return [
    defineRoute({
      method: 'get',
      path: '/studios/:id/kernelspecs',
      tag: TAG,
      summary: 'List the kernels the Studio offers (the Studio must be running)',
      response: KernelSpecList,
      handler: (c) => {
        const { user, studio } = requireStudioRole(c, c.req.param('id') as string, 'viewer');
        assertMayRunProcesses(driver, user);
        return commands.kernelspecs(studio.id);
      },
    }),
    defineRoute({
      method: 'post',
      path: '/studios/:id/notebooks/run',
      tag: TAG,
      summary: "Queue cells to run on the notebook's kernel (starting it if needed)",
      body: NotebookRunBody,
      response: z.object({ queued: z.number().int() }),
      status: 200,
      handler: async (c, body) => {
        const { studioId, by } = editor(c);
        return { queued: await commands.run(studioId, body, by) };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/studios/:id/notebooks/kernel',
      tag: TAG,
      summary: "Start, change, interrupt, restart or shut down a notebook's kernel",
      body: NotebookKernelBody,
      status: 204,
      handler: async (c, body) => {
        const { studioId, by } = editor(c);
        await commands.kernel(studioId, body, by);
      },
    }),
    defineRoute({
      method: 'post',
      path: '/studios/:id/notebooks/input',
      tag: TAG,
      summary: 'Answer an input() prompt (only the person who ran the cell may)',
      body: NotebookInputBody,
      status: 204,
      handler: async (c, body) => {
        const { studioId, by } = editor(c);
        await commands.answerInput(studioId, body, by);
      },
    }),
    defineRoute({
      method: 'post',
      path: '/studios/:id/notebooks/clear-outputs',
      tag: TAG,
      summary: 'Clear the outputs of some cells, or of all',
      body: NotebookClearOutputsBody,
      status: 204,
      handler: async (c, body) => {
        const { studioId } = editor(c);
        await commands.clearOutputs(studioId, body);
      },
    }),
  ];
}
