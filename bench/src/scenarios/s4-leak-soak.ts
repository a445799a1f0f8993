import WebSocket from 'ws';
import {
  type CollabTarget,
  startStockTarget,
  startSubjectTarget,
  studiosCollabUnavailable,
} from '../lib/collab-targets';
import { percentChange, type SettledMemory, settledMemory } from '../lib/memory-probe';
import { type MetricResult, standaloneMetric } from '../lib/metrics';
import type { Scenario, ScenarioContext } from '../lib/scenario';
import { CollabClient } from '../lib/yjs-client';

interface SoakPlan {
  cycles: number;
  docs: number;
  warmupCycles: number;
  concurrency: number;
  /** Every n-th cycle connects without a session cookie. */
  failingAuthEvery: number;
}

interface SoakOutcome {
  before: SettledMemory;
  after: SettledMemory;
  cyclesPerSecond: number;
  /** How the unauthenticated upgrades ended, e.g. `{ "401": 1000 }` or `{ open: 1000 }`. */
  unauthenticated: Record<string, number>;
}

/** S4: connect/edit/disconnect cycles over many docs, some failing auth; memory before and after. */
export const s4LeakSoak: Scenario = {
  id: 'S4',
  title: 'Leak soak: connect/disconnect cycles over many docs, incl. failing auth; RSS after GC',
  unavailable: async (context) =>
    context.subject === 'stock' ? undefined : studiosCollabUnavailable(context.studios),
  async run(context) {
    const plan: SoakPlan = context.quick
      ? { cycles: 1_000, docs: 100, warmupCycles: 200, concurrency: 8, failingAuthEvery: 10 }
      : { cycles: 10_000, docs: 1_000, warmupCycles: 1_000, concurrency: 16, failingAuthEvery: 10 };
    context.note(
      `${plan.cycles} cycles over ${plan.docs} docs after ${plan.warmupCycles} warm-up cycles, ${plan.concurrency} at a time; ` +
        `every ${plan.failingAuthEvery}th cycle has no session cookie; an authenticated cycle syncs, inserts 8 chars and leaves. ` +
        'Memory = VmRSS of the server process after a GC forced through its inspector, polled until stable',
    );
    const outcomes: Array<{ name: string; outcome: SoakOutcome }> = [];
    {
      await using subject = await startSubjectTarget(context, { inspect: true });
      outcomes.push({ name: subject.name, outcome: await soak(context, subject, plan) });
    }
    {
      await using stock = await startStockTarget({ benchDir: context.benchDir, inspect: true });
      outcomes.push({ name: stock.name, outcome: await soak(context, stock, plan) });
    }
    const results: MetricResult[] = [];
    for (const [index, { name, outcome }] of outcomes.entries()) {
      const variant = `${name}, ${plan.cycles} cycles`;
      const isSubject = index === 0;
      context.note(
        `${name}: RSS ${mb(outcome.before.rssBytes)} → ${mb(outcome.after.rssBytes)} MB, heap ${mb(outcome.before.heapUsedBytes)} → ${mb(outcome.after.heapUsedBytes)} MB; ` +
          `unauthenticated upgrades ended as ${JSON.stringify(outcome.unauthenticated)}`,
      );
      const rss = { name, values: [percentChange(outcome.before.rssBytes, outcome.after.rssBytes)] };
      const heap = {
        name,
        values: [percentChange(outcome.before.heapUsedBytes, outcome.after.heapUsedBytes)],
      };
      const goal = isSubject ? { text: '±5%', maxAbsSubject: 5 } : undefined;
      results.push(standaloneMetric('S4', variant, 'RSS change after GC', '%', rss, goal));
      results.push(standaloneMetric('S4', variant, 'V8 heap change after GC', '%', heap));
      results.push(
        standaloneMetric('S4', variant, 'cycle rate', 'cycles/s', {
          name,
          values: [outcome.cyclesPerSecond],
        }),
      );
    }
    return results;
  },
};

async function soak(context: ScenarioContext, target: CollabTarget, plan: SoakPlan): Promise<SoakOutcome> {
  const paths = Array.from({ length: plan.docs }, (_, index) => `s4/doc-${index}.txt`);
  await target.prepareDocs(paths);
  const runCycles = async (count: number) => {
    const endings: Record<string, number> = {};
    let next = 0;
    const worker = async () => {
      while (next < count) {
        const cycle = next++;
        const docPath = paths[cycle % paths.length] ?? '';
        if (cycle % plan.failingAuthEvery === plan.failingAuthEvery - 1) {
          const ending = await unauthenticatedUpgrade(target, docPath);
          endings[ending] = (endings[ending] ?? 0) + 1;
        } else {
          await editCycle(target, docPath, cycle);
        }
      }
    };
    await Promise.all(Array.from({ length: plan.concurrency }, worker));
    return endings;
  };
  await runCycles(plan.warmupCycles);
  const before = await settledMemory(target.child);
  context.log(`S4 ${target.name}: baseline RSS ${mb(before.rssBytes)} MB`);
  const started = performance.now();
  const unauthenticated = await runCycles(plan.cycles);
  const cyclesPerSecond = plan.cycles / ((performance.now() - started) / 1000);
  const after = await settledMemory(target.child, 30_000);
  context.log(`S4 ${target.name}: after ${plan.cycles} cycles RSS ${mb(after.rssBytes)} MB`);
  return { before, after, cyclesPerSecond, unauthenticated };
}

/** One user session: connect, sync, type a little, leave. */
async function editCycle(target: CollabTarget, docPath: string, cycle: number): Promise<void> {
  const client = new CollabClient(target, encodeURIComponent(docPath));
  try {
    await client.synced;
    client.text.insert(0, `c${String(cycle).padStart(6, '0')} `.slice(0, 8));
  } finally {
    client.dispose();
  }
}

/** A socket without the session cookie; resolves with how the server ended it. */
function unauthenticatedUpgrade(target: CollabTarget, docPath: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = new WebSocket(`${target.serverUrl}/${encodeURIComponent(docPath)}`, {
      headers: target.headers(false),
    });
    socket.once('unexpected-response', (_request, response) => {
      resolve(String(response.statusCode));
      response.resume();
      socket.terminate();
    });
    socket.once('open', () => {
      socket.close();
      resolve('open');
    });
    // A refused handshake reports an error after the response; the first ending wins.
    socket.on('error', (error) => resolve(`error ${error.message}`));
  });
}

function mb(bytes: number): string {
  return (bytes / 1024 ** 2).toFixed(1);
}
