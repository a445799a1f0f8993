import { openAgentWorkspace, STUDIO_USER } from '../lib/agent-workspace';
import { alternate } from '../lib/alternate';
import { entryCount, type FileTreeShape, writeFileTree } from '../lib/file-tree-fixture';
import { listTreeOnHost } from '../lib/host-tree-listing';
import { compareRounds, type MetricResult } from '../lib/metrics';
import type { ScenarioContext } from '../lib/scenario';

/** Above the tree's 10,100 entries, so neither side truncates (the HTTP route caps at 10,000). */
const MAX_ENTRIES = 20_000;

interface ListingSample {
  ms: number;
}

/**
 * S11, tree listing: `AgentFiles.list` in the bench process (the agent inside the running
 * Studio lists /workspace and sends it over its socket; the client validates it) against the
 * same breadth-first readdir + lstat listing of the same folder on the host, in-process.
 */
export async function measureTreeListing(
  context: ScenarioContext,
  runtime: 'docker' | 'local',
): Promise<MetricResult[]> {
  const shape: FileTreeShape = context.quick
    ? { folders: 20, filesPerFolder: 50 }
    : { folders: 100, filesPerFolder: 100 };
  const expected = entryCount(shape);
  await using workspace = await openAgentWorkspace(runtime);
  const asRoot = process.getuid?.() === 0;
  await writeFileTree(workspace.workspaceDir, shape, asRoot ? STUDIO_USER : undefined);
  context.note(
    `tree listing: ${shape.folders} folders × ${shape.filesPerFolder} files (${expected} entries); Studios = ` +
      `AgentFiles.list(${MAX_ENTRIES}) from the bench process, the agent running in the ${workspace.where} ` +
      `(${runtime} runtime), reply validated with zod as the server does; floor = the same breadth-first ` +
      'readdir(withFileTypes) + lstat per entry + folders-first sort on the host folder, in the bench process ' +
      '(what the server did before the agent)',
  );
  // Both sides must list the same tree, or the ratio compares different work.
  const throughAgent = await workspace.files.list(MAX_ENTRIES);
  const onHost = await listTreeOnHost(workspace.workspaceDir, MAX_ENTRIES);
  const agentPaths = throughAgent.entries.map((entry) => entry.path).join('\n');
  const hostPaths = onHost.entries.map((entry) => entry.path).join('\n');
  if (throughAgent.entries.length !== expected || throughAgent.truncated || agentPaths !== hostPaths) {
    throw new Error(
      `listings differ: agent ${throughAgent.entries.length} entries (truncated ${throughAgent.truncated}), host ${onHost.entries.length}, expected ${expected}`,
    );
  }
  const timed = (list: () => Promise<{ entries: unknown[] }>) => async (): Promise<ListingSample> => {
    const started = performance.now();
    const { entries } = await list();
    const ms = performance.now() - started;
    if (entries.length !== expected)
      throw new Error(`listed ${entries.length} entries, expected ${expected}`);
    return { ms };
  };
  const rounds = await alternate(
    { name: 'agent', runRound: timed(() => workspace.files.list(MAX_ENTRIES)) },
    {
      name: 'host fs in-process',
      runRound: timed(() => listTreeOnHost(workspace.workspaceDir, MAX_ENTRIES)),
    },
    {
      // One listing is a fraction of a second: more rounds cost little and steady the median.
      ...(context.quick ? { rounds: 2, warmupRounds: 1 } : { rounds: 10, warmupRounds: 2 }),
      onRound: ({ contender, round, warmup, sample }) =>
        context.log(
          `S11 list ${contender} round ${round}${warmup ? ' (warm-up)' : ''}: ${sample.ms.toFixed(0)} ms`,
        ),
    },
  );
  return compareRounds(
    'S11',
    `list ${expected}-entry tree (${runtime})`,
    { subject: 'agent', peer: 'host fs in-process' },
    rounds,
    [
      {
        metric: 'listing time',
        unit: 'ms',
        pick: (sample) => sample.ms,
        goal: { text: '≤ 1.5×', maxRatio: 1.5 },
      },
    ],
  );
}
