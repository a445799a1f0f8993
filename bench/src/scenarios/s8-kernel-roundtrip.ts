import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type * as Y from 'yjs';
import { alternate } from '../lib/alternate';
import { serverFeatureMissing } from '../lib/collab-targets';
import { ensureJupyterClient, JupyterPeer } from '../lib/jupyter-peer';
import { compareRounds, type MetricResult } from '../lib/metrics';
import {
  type ExpectedOutput,
  notebookJson,
  outputsMatch,
  outputsOf,
  roundPercentiles,
  runFinished,
  runOf,
} from '../lib/notebook-run';
import { roundsFor, type Scenario } from '../lib/scenario';
import { median } from '../lib/stats';
import { StudiosApiError, StudiosSession, startStudiosServer } from '../lib/studios-api';
import { allWithin, CollabClient } from '../lib/yjs-client';

/**
 * The two cases: a trivial expression and a cell printing a 1 MB stream output. Each case has a
 * notebook (and so a Studios kernel) of its own: the server saves a notebook whole, so a 1 MB
 * output kept beside the `1+1` cell would make every `1+1` run pay for re-saving it.
 */
const CASES = [
  {
    cellId: 'add',
    notebook: 's8-add.ipynb',
    variant: '1+1',
    code: '1+1',
    expected: { result: '2' } satisfies ExpectedOutput,
    executions: { full: 40, quick: 10 },
  },
  {
    cellId: 'mb',
    notebook: 's8-mb.ipynb',
    variant: "print('x' * 1_000_000) (1 MB stream)",
    code: "print('x' * 1_000_000)",
    // print adds the newline.
    expected: { streamChars: 1_000_001 } satisfies ExpectedOutput,
    executions: { full: 10, quick: 3 },
  },
] as const;

type Case = (typeof CASES)[number];

interface RoundSample {
  p50: number;
  p95: number;
}

/** Where one Studios execution spent its time, from the client's point of view (ms after the POST). */
interface StudiosTrace {
  total: number;
  restAnswered: number;
  runningSeen: number;
  /** The client's copy first held every expected output (before or with the `ok`). */
  outputsSeen: number;
  /** endedAt − startedAt of the run record: the server's own view of the kernel execution (ms resolution). */
  serverRun: number;
}

/** S8: kernel execute round trip through Studios vs jupyter_client over ZeroMQ directly. */
export const s8KernelRoundTrip: Scenario = {
  id: 'S8',
  title: 'Kernel execute round trip (1+1, 1 MB stream) through Studios vs jupyter_client over ZeroMQ',
  async unavailable(context) {
    const missing =
      serverFeatureMissing(context.studios, 'notebooks') ?? serverFeatureMissing(context.studios, 'collab');
    if (missing) return missing;
    if (!existsSync('/var/run/docker.sock')) return 'Docker is not running (no /var/run/docker.sock)';
    return ensureJupyterClient(context.log);
  },
  async run(context) {
    context.note(
      'Studios (timed in the bench process): POST /api/studios/:id/notebooks/run {path, cellIds:[cell]} sent → a stock ' +
        'y-websocket client (WebsocketProvider, its own connection) sees the cell’s studios:runs record with a new runId in ' +
        'state ok AND the expected outputs in its copy of the notebook (execute_result "2"; 1,000,001 stream chars), checked on ' +
        'every Yjs update. Includes REST + auth, the server’s queue, the ZeroMQ hop through the agent relay into the Studio, ' +
        'the Yjs writes and the WebSocket broadcast',
    );
    context.note(
      'Peer (timed in the bench process): one JSON line to src/peers/jupyter-peer.py on its stdin → its answer line, i.e. ' +
        'BlockingKernelClient.execute_interactive (Debian python3-jupyter-client on the host) sending execute_request and ' +
        'returning after the execute_reply and the iopub idle with every output collected. Its kernel: python3 -m ' +
        'ipykernel_launcher -f <conn> started with docker exec in the same Studio container (same image, cgroup limits and ' +
        'network) on tcp ports of the container’s bridge address, dialled directly from the host (no docker-proxy)',
    );
    context.note(
      'Each case has its own notebook (so its own Studios kernel); the peer kernel serves both. ' +
        'Warm-up: both kernels started and executed once outside the timing; then one alternated warm-up round per case. ' +
        'Each round = N sequential executions of one cell (one at a time); a round’s p50/p95 are over its N executions; the ' +
        'table shows the median over rounds and the paired Studios/peer ratio',
    );
    // S8_CPU_PROFILE=1: a V8 CPU profile of the server over each case's rounds, written to bench/results/.
    const profile = process.env.S8_CPU_PROFILE === '1';
    await using server = await startStudiosServer({
      launch: context.studios,
      env: { STUDIOS_RUNTIME: 'docker' },
      inspect: profile,
    });
    const session = await StudiosSession.signUp(server, 'bench-kernel');
    const studioId = await session.createStudio('bench-kernel');
    const clients: CollabClient[] = [];
    let peer: JupyterPeer | undefined;
    try {
      await session.startStudio(studioId);
      const docs = new Map<string, Y.Doc>();
      for (const testCase of CASES) {
        await uploadNotebook(session, studioId, testCase);
        const client = new CollabClient(
          {
            serverUrl: `ws://127.0.0.1:${server.port}/api/studios/${studioId}/collab`,
            headers: (authenticated) => session.socketHeaders(authenticated),
          },
          encodeURIComponent(testCase.notebook),
        );
        clients.push(client);
        docs.set(testCase.cellId, client.doc);
      }
      await allWithin(
        clients.map((client) => client.synced),
        30_000,
        'the notebook clients to sync',
      );
      const docOf = (testCase: Case) => docs.get(testCase.cellId) as Y.Doc;

      context.log('S8 warm-up: starting the Studios kernel (first run)…');
      for (const testCase of CASES)
        await studiosExecute(session, studioId, docOf(testCase), testCase, 120_000);
      context.log('S8 warm-up: starting the peer kernel in the same Studio container…');
      peer = await JupyterPeer.start({ container: `studios-${studioId}`, benchDir: context.benchDir });
      for (const testCase of CASES) await peerExecute(peer, testCase);
      const thePeer = peer;

      const results: MetricResult[] = [];
      const traces = new Map<string, StudiosTrace[]>();
      const pythonMs = new Map<string, number[]>();
      for (const testCase of CASES) {
        const executions = context.quick ? testCase.executions.quick : testCase.executions.full;
        const caseTraces: StudiosTrace[] = [];
        const casePython: number[] = [];
        if (profile) {
          await server.child.inspectorCall('Profiler.enable');
          await server.child.inspectorCall('Profiler.setSamplingInterval', { interval: 200 });
          await server.child.inspectorCall('Profiler.start');
        }
        const rounds = alternate<RoundSample>(
          {
            name: 'studios',
            async runRound() {
              const times: number[] = [];
              for (let i = 0; i < executions; i++) {
                const trace = await studiosExecute(session, studioId, docOf(testCase), testCase, 60_000);
                times.push(trace.total);
                caseTraces.push(trace);
              }
              return roundPercentiles(times);
            },
          },
          {
            name: 'jupyter_client',
            async runRound() {
              const times: number[] = [];
              for (let i = 0; i < executions; i++) {
                const execution = await peerExecute(thePeer, testCase);
                times.push(execution.ms);
                casePython.push(execution.pythonMs);
              }
              return roundPercentiles(times);
            },
          },
          {
            ...roundsFor(context),
            onRound: ({ contender, round, warmup, sample }) =>
              context.log(
                `S8 ${testCase.variant} ${contender} round ${round}${warmup ? ' (warm-up)' : ''}: ` +
                  `p50 ${sample.p50.toFixed(2)} ms, p95 ${sample.p95.toFixed(2)} ms (${executions} executions)`,
              ),
          },
        );
        const measured = await rounds;
        if (profile) {
          const { profile: cpuProfile } = (await server.child.inspectorCall('Profiler.stop')) as {
            profile: unknown;
          };
          const file = path.join(context.benchDir, 'results', `s8-${testCase.cellId}-server.cpuprofile`);
          await mkdir(path.dirname(file), { recursive: true });
          await writeFile(file, JSON.stringify(cpuProfile));
          context.log(`S8 server CPU profile of ${testCase.variant}: ${file}`);
        }
        // Warm-up rounds' executions are in the traces too; only the measured ones count.
        const measuredCount = measured.subject.length * executions;
        traces.set(testCase.variant, caseTraces.slice(-measuredCount));
        pythonMs.set(testCase.variant, casePython.slice(-measuredCount));
        results.push(
          ...compareRounds('S8', testCase.variant, { subject: 'studios', peer: 'jupyter_client' }, measured, [
            {
              metric: 'round trip p50',
              unit: 'ms',
              pick: (s) => s.p50,
              goal: { text: '≤ 1.2×', maxRatio: 1.2 },
            },
            {
              metric: 'round trip p95',
              unit: 'ms',
              pick: (s) => s.p95,
              goal: { text: '≤ 1.2×', maxRatio: 1.2 },
            },
          ]),
        );
      }
      for (const testCase of CASES) {
        const caseTraces = traces.get(testCase.variant) ?? [];
        // The server's clock is the same machine's wall clock; its ISO times have ms resolution.
        const pick = (field: keyof StudiosTrace) =>
          median(caseTraces.map((trace) => trace[field])).toFixed(2);
        context.note(
          `${testCase.variant}, Studios breakdown (medians over ${caseTraces.length} measured executions, ms after the POST): ` +
            `REST answered ${pick('restAnswered')}, run seen "running" by the client ${pick('runningSeen')}, ` +
            `all outputs seen ${pick('outputsSeen')}, ` +
            `seen "ok" with outputs ${pick('total')}; the server’s own startedAt→endedAt ${pick('serverRun')} ` +
            `(ms resolution). Peer: same round trip timed inside Python ` +
            `${median(pythonMs.get(testCase.variant) ?? []).toFixed(2)} ms (the pipe to the bench adds the rest)`,
        );
      }
      return results;
    } finally {
      await peer?.[Symbol.asyncDispose]();
      for (const client of clients) client.dispose();
      await session.request('DELETE', `/api/studios/${studioId}`).catch(() => undefined);
    }
  },
};

async function uploadNotebook(session: StudiosSession, studioId: string, testCase: Case): Promise<void> {
  const cells = { [testCase.cellId]: testCase.code };
  const url = `${session.server.baseUrl}/api/studios/${studioId}/files/content?path=${encodeURIComponent(testCase.notebook)}`;
  const response = await fetch(url, {
    method: 'PUT',
    headers: { ...session.socketHeaders(true), 'content-type': 'application/octet-stream' },
    body: notebookJson(cells),
  });
  if (!response.ok)
    throw new StudiosApiError(response.status, await response.text(), `upload ${testCase.notebook}`);
}

/** One run through Studios: REST request → the finished run and its outputs in the client's copy. */
async function studiosExecute(
  session: StudiosSession,
  studioId: string,
  doc: Y.Doc,
  testCase: Case,
  timeoutMs: number,
): Promise<StudiosTrace> {
  const previous = runOf(doc, testCase.cellId)?.runId;
  let runningAt = Number.NaN;
  let outputsAt = Number.NaN;
  let settle: ((at: number) => void) | undefined;
  let fail: ((error: unknown) => void) | undefined;
  const finished = new Promise<number>((resolve, reject) => {
    settle = resolve;
    fail = reject;
  });
  const check = () => {
    const at = performance.now();
    try {
      const run = runOf(doc, testCase.cellId);
      if (run && run.runId !== previous && run.state === 'running' && Number.isNaN(runningAt)) runningAt = at;
      if (
        run &&
        run.runId !== previous &&
        Number.isNaN(outputsAt) &&
        outputsMatch(outputsOf(doc, testCase.cellId), testCase.expected)
      ) {
        outputsAt = at;
      }
      if (runFinished(doc, testCase.cellId, previous, testCase.expected)) settle?.(at);
    } catch (error) {
      fail?.(error);
    }
  };
  doc.on('update', check);
  try {
    const started = performance.now();
    const queued = (await session.request('POST', `/api/studios/${studioId}/notebooks/run`, {
      path: testCase.notebook,
      cellIds: [testCase.cellId],
    })) as { queued: number };
    const restAnswered = performance.now() - started;
    if (queued.queued !== 1) throw new Error(`run queued ${queued.queued} cells, expected 1`);
    check();
    const doneAt = await allWithin([finished], timeoutMs, `${testCase.variant} to finish through Studios`);
    const run = runOf(doc, testCase.cellId);
    const serverRun =
      run?.startedAt && run.endedAt ? Date.parse(run.endedAt) - Date.parse(run.startedAt) : Number.NaN;
    return {
      total: (doneAt[0] ?? Number.NaN) - started,
      restAnswered,
      runningSeen: runningAt - started,
      outputsSeen: outputsAt - started,
      serverRun,
    };
  } finally {
    doc.off('update', check);
  }
}

/** One run through the peer, checked for the same outputs as the Studios side. */
async function peerExecute(peer: JupyterPeer, testCase: Case): Promise<{ ms: number; pythonMs: number }> {
  const started = performance.now();
  const execution = await peer.execute(testCase.code);
  const ms = performance.now() - started;
  const expected: ExpectedOutput = testCase.expected;
  const matches =
    execution.status === 'ok' &&
    (expected.result === undefined || execution.result === expected.result) &&
    (expected.streamChars === undefined || execution.streamChars === expected.streamChars);
  if (!matches) throw new Error(`peer ${testCase.variant}: unexpected answer ${JSON.stringify(execution)}`);
  return { ms, pythonMs: execution.pythonMs };
}
