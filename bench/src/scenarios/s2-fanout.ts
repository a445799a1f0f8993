import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { waitFor } from '@studios/testkit';
import { alternate } from '../lib/alternate';
import type { TracePatch } from '../lib/b4-trace';
import {
  type CollabTarget,
  startStockTarget,
  startSubjectTarget,
  studiosCollabUnavailable,
} from '../lib/collab-targets';
import { delay } from '../lib/delay';
import { FanoutRoom } from '../lib/fanout';
import { compareRounds, type MetricResult } from '../lib/metrics';
import { roundsFor, type Scenario, type ScenarioContext } from '../lib/scenario';
import { distribution } from '../lib/stats';
import { allWithin } from '../lib/yjs-client';

/** Shape of one fan-out case. */
interface FanoutCase {
  label: string;
  docs: number;
  clientsPerDoc: number;
  typingOps: number;
  typingIntervalMs: number;
  flatOutOps: number;
}

interface FanoutSample {
  typingP50: number;
  typingP99: number;
  flatP50: number;
  flatP99: number;
  /** Ops delivered to all receivers per second while writers go flat out. */
  flatOpsPerSecond: number;
}

function casesFor(quick: boolean): FanoutCase[] {
  return [
    {
      label: '1 doc × 50 clients',
      docs: 1,
      clientsPerDoc: 50,
      typingOps: quick ? 60 : 200,
      typingIntervalMs: 50,
      flatOutOps: quick ? 500 : 3_000,
    },
    {
      label: '200 docs × 3 clients',
      docs: quick ? 50 : 200,
      clientsPerDoc: 3,
      typingOps: quick ? 30 : 100,
      typingIntervalMs: 50,
      flatOutOps: quick ? 50 : 200,
    },
  ];
}

/** S2: fan-out latency of one writer per doc to every other client of the doc. */
export const s2Fanout: Scenario = {
  id: 'S2',
  title: 'Fan-out latency (B4 ops at typing speed, then flat out) vs stock @y/websocket-server',
  unavailable: async (context) =>
    context.subject === 'stock' ? undefined : studiosCollabUnavailable(context.studios),
  async run(context) {
    const trace = await context.trace();
    const results: MetricResult[] = [];
    for (const fanoutCase of casesFor(context.quick)) {
      results.push(...(await runCase(context, fanoutCase, trace.patches)));
    }
    return results;
  },
};

async function runCase(context: ScenarioContext, fanoutCase: FanoutCase, patches: readonly TracePatch[]) {
  context.note(
    `${fanoutCase.label}: ${fanoutCase.typingOps} B4 ops per writer at one per ${fanoutCase.typingIntervalMs} ms, ` +
      `then ${fanoutCase.flatOutOps} flat out (yielding to the event loop between ops)`,
  );
  await using subject = await startSubjectTarget(context);
  await using stock = await startStockTarget({ benchDir: context.benchDir });
  const contender = (target: CollabTarget) => ({
    name: target.name,
    runRound: (round: number) => runRound(target, fanoutCase, patches, round),
  });
  const rounds = await alternate(contender(subject), contender(stock), {
    ...roundsFor(context),
    onRound: ({ contender: name, round, warmup, sample }) =>
      context.log(
        `S2 ${fanoutCase.label} ${name} round ${round}${warmup ? ' (warm-up)' : ''}: typing p50 ${sample.typingP50.toFixed(2)} ms p99 ${sample.typingP99.toFixed(2)} ms; flat p50 ${sample.flatP50.toFixed(2)} ms p99 ${sample.flatP99.toFixed(2)} ms`,
      ),
  });
  const ratioGoal = { text: '≤ 1.1×', maxRatio: 1.1 };
  return compareRounds<FanoutSample>(
    'S2',
    fanoutCase.label,
    { subject: subject.name, peer: stock.name },
    rounds,
    [
      { metric: 'typing p50', unit: 'ms', pick: (sample) => sample.typingP50, goal: ratioGoal },
      {
        metric: 'typing p99',
        unit: 'ms',
        pick: (sample) => sample.typingP99,
        goal: { text: '≤ 1.1× and < 20 ms', maxRatio: 1.1, maxSubject: 20 },
      },
      { metric: 'flat-out p50', unit: 'ms', pick: (sample) => sample.flatP50, goal: ratioGoal },
      { metric: 'flat-out p99', unit: 'ms', pick: (sample) => sample.flatP99, goal: ratioGoal },
      { metric: 'flat-out delivered ops', unit: 'ops/s', pick: (sample) => sample.flatOpsPerSecond },
    ],
  );
}

async function runRound(
  target: CollabTarget,
  fanoutCase: FanoutCase,
  patches: readonly TracePatch[],
  round: number,
): Promise<FanoutSample> {
  const paths = Array.from({ length: fanoutCase.docs }, (_, index) => `s2/r${round}/doc-${index}.txt`);
  await target.prepareDocs(paths);
  const rooms: FanoutRoom[] = [];
  try {
    // Connect in batches so the join storm is not part of what the typing phase measures.
    for (const docPath of paths) {
      const room = new FanoutRoom(target, encodeURIComponent(docPath), fanoutCase.clientsPerDoc - 1, patches);
      rooms.push(room);
      if (rooms.length % 20 === 0) await allWithin(pendingSyncs(rooms.slice(-20)), 60_000, 'clients to sync');
    }
    await allWithin(pendingSyncs(rooms), 60_000, `${target.name}: all clients to sync`);

    await typeAtSpeed(rooms, fanoutCase.typingOps, fanoutCase.typingIntervalMs);
    await waitFor(() => rooms.every((room) => room.caughtUp), {
      timeoutMs: 60_000,
      what: 'typing to arrive',
    });
    const typing = distribution(rooms.flatMap((room) => room.takeLatencies()));

    const flatStart = performance.now();
    await Promise.all(rooms.map((room) => typeFlatOut(room, fanoutCase.flatOutOps)));
    await waitFor(() => rooms.every((room) => room.caughtUp), {
      timeoutMs: 120_000,
      intervalMs: 1,
      what: 'flat-out ops to arrive',
    });
    const flatElapsedSeconds = (performance.now() - flatStart) / 1000;
    const flat = distribution(rooms.flatMap((room) => room.takeLatencies()));
    return {
      typingP50: typing.p50,
      typingP99: typing.p99,
      flatP50: flat.p50,
      flatP99: flat.p99,
      flatOpsPerSecond: (fanoutCase.docs * fanoutCase.flatOutOps) / flatElapsedSeconds,
    };
  } finally {
    for (const room of rooms) room.dispose();
  }
}

function pendingSyncs(rooms: readonly FanoutRoom[]): Promise<void>[] {
  return rooms.flatMap((room) => room.clients.map((client) => client.synced));
}

/** Every writer types on its own schedule, phase-shifted so 200 writers do not fire in lockstep. */
async function typeAtSpeed(rooms: readonly FanoutRoom[], ops: number, intervalMs: number): Promise<void> {
  await Promise.all(
    rooms.map(async (room, index) => {
      const start = performance.now() + (intervalMs * index) / rooms.length;
      for (let op = 0; op < ops; op++) {
        // Absolute schedule: timer lateness does not accumulate into a slower typing rate.
        const wait = start + op * intervalMs - performance.now();
        if (wait > 0) await delay(wait);
        room.applyNextOp();
      }
    }),
  );
}

async function typeFlatOut(room: FanoutRoom, ops: number): Promise<void> {
  for (let op = 0; op < ops; op++) {
    room.applyNextOp();
    await yieldToEventLoop();
  }
}
