import path from 'node:path';
import { dockerAnswers } from '@studios/runtime';
import { serverFeatureMissing } from '../lib/collab-targets';
import type { MetricResult } from '../lib/metrics';
import type { Scenario } from '../lib/scenario';
import { StudiosSession, startStudiosServer } from '../lib/studios-api';
import { measureSaveLatency } from './s11-save-latency';
import { measureTransfers } from './s11-transfers';
import { measureTreeListing } from './s11-tree-listing';

/**
 * S11 (issue #9): a Studio's files through its agent against the same operations on the host
 * file system directly. Docker when it answers (the deployment: the agent runs inside the
 * Studio's container), else the local runtime (the agent is a child process); the table says which.
 */
export const s11AgentFiles: Scenario = {
  id: 'S11',
  title:
    'Files through the Studio agent vs the host file system: 10,000-file tree, 100 MB upload/download, document save',
  unavailable: async (context) =>
    serverFeatureMissing(context.studios, 'agents') ?? serverFeatureMissing(context.studios, 'collab'),
  async run(context) {
    const runtime = (await dockerAnswers()) ? 'docker' : 'local';
    context.log(`S11 on the ${runtime} runtime`);
    const results: MetricResult[] = [...(await measureTreeListing(context, runtime))];
    await using server = await startStudiosServer({
      launch: context.studios,
      env: { STUDIOS_RUNTIME: runtime },
    });
    const session = await StudiosSession.signUp(server, 'bench-agent-files');
    const studioId = await session.createStudio('bench-agent-files');
    try {
      // Running, so that the agent works inside the Studio as in a session, not in the stopped-Studio sandbox.
      await session.startStudio(studioId);
      const studio = {
        session,
        studioId,
        // The server's layout (studios-service.ts): the bench reads it only to check what reached the disk.
        workspaceDir: path.join(server.dataDir, 'studios', studioId, 'workspace'),
      };
      results.push(...(await measureTransfers(context, studio, runtime)));
      results.push(...(await measureSaveLatency(context, studio, runtime)));
    } catch (error) {
      throw withServerWarnings(error, server.child.recentOutput);
    } finally {
      // Deleting the Studio removes its container, sandbox and network; the data folder goes with the server.
      await session.request('DELETE', `/api/studios/${studioId}`).catch(() => undefined);
    }
    return results;
  },
};

/**
 * A failed transfer usually means the agent died (a crash is logged by the server as "agent
 * output"): the failure carries the server's last warnings, so the run says why.
 */
function withServerWarnings(error: unknown, serverOutput: string): Error {
  const warnings = serverOutput
    .split('\n')
    .filter((line) => line.includes('"level":"warn"') || line.includes('"level":"error"'))
    .slice(-3);
  const message = error instanceof Error ? error.message : String(error);
  if (warnings.length === 0) return error instanceof Error ? error : new Error(message);
  return new Error(`${message}\nserver warnings:\n${warnings.join('\n')}`, { cause: error });
}
