import { waitFor } from '@studios/testkit';
import * as Y from 'yjs';
import { alternate } from '../lib/alternate';
import {
  type CollabTarget,
  startStockTarget,
  startSubjectTarget,
  studiosCollabUnavailable,
} from '../lib/collab-targets';
import { compareRounds } from '../lib/metrics';
import { roundsFor, type Scenario, type ScenarioContext } from '../lib/scenario';
import { allWithin, CollabClient } from '../lib/yjs-client';

const JOIN_SIZES = [1, 10, 50] as const;
type JoinSample = Record<`join${(typeof JOIN_SIZES)[number]}`, number>;

/** S3: N clients join at once a doc that holds the whole B4 history and nobody has open. */
export const s3ColdJoin: Scenario = {
  id: 'S3',
  title: 'Cold join of 1/10/50 clients to a doc holding the full B4 history vs stock @y/websocket-server',
  unavailable: async (context) =>
    context.subject === 'stock' ? undefined : studiosCollabUnavailable(context.studios),
  async run(context) {
    const update = await context.fullHistoryUpdate();
    const expectedLength = (await context.trace()).endContent.length;
    context.note(
      `seeded per join with the full B4 history (${update.byteLength} B update) through one client, ` +
        'then all clients disconnected; Studios must have written the file before the join starts. ' +
        'The stock server has no persistence and keeps the doc in memory (its known behaviour), so its join is warm',
    );
    await using subject = await startSubjectTarget(context);
    await using stock = await startStockTarget({ benchDir: context.benchDir });
    const contender = (target: CollabTarget) => ({
      name: target.name,
      runRound: (round: number) => runRound(context, target, update, expectedLength, round),
    });
    const rounds = await alternate(contender(subject), contender(stock), {
      ...roundsFor(context),
      onRound: ({ contender: name, round, warmup, sample }) =>
        context.log(
          `S3 ${name} round ${round}${warmup ? ' (warm-up)' : ''}: ${JOIN_SIZES.map((size) => `${size} → ${sample[`join${size}`].toFixed(1)} ms`).join(', ')}`,
        ),
    });
    return compareRounds<JoinSample>(
      'S3',
      'full B4 history',
      { subject: subject.name, peer: stock.name },
      rounds,
      JOIN_SIZES.map((size) => ({
        metric: `${size} client${size === 1 ? '' : 's'} all synced`,
        unit: 'ms',
        pick: (sample: JoinSample) => sample[`join${size}`],
        goal: { text: '≤ 1.0×', maxRatio: 1.0 },
      })),
    );
  },
};

async function runRound(
  context: ScenarioContext,
  target: CollabTarget,
  update: Uint8Array,
  expectedLength: number,
  round: number,
): Promise<JoinSample> {
  const paths = JOIN_SIZES.map((size) => `s3/r${round}/join-${size}.txt`);
  await target.prepareDocs(paths);
  await Promise.all(paths.map((docPath) => seed(target, docPath, update, expectedLength)));
  const expectedText = (await context.trace()).endContent;
  if (target.readPersisted) {
    const read = target.readPersisted.bind(target);
    // Cold means loaded from what the server persisted: wait until every file holds the text.
    for (const docPath of paths) {
      await waitFor(async () => (await read(docPath)) === expectedText, {
        timeoutMs: 60_000,
        intervalMs: 100,
        what: `${docPath} to be written to disk`,
      });
    }
  }
  const sample = {} as JoinSample;
  for (const [index, size] of JOIN_SIZES.entries()) {
    sample[`join${size}`] = await timeJoin(target, paths[index] ?? '', size, expectedLength);
  }
  return sample;
}

/** One client pushes the whole history, a second client proves the server holds it, both leave. */
async function seed(target: CollabTarget, docPath: string, update: Uint8Array, expectedLength: number) {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, update);
  const seeder = new CollabClient(target, encodeURIComponent(docPath), { doc });
  const probe = new CollabClient(target, encodeURIComponent(docPath));
  try {
    await allWithin([seeder.synced, probe.synced], 60_000, `seeding ${docPath}`);
    await waitFor(() => probe.text.length === expectedLength, {
      timeoutMs: 60_000,
      what: `${docPath} to reach the probe`,
    });
  } finally {
    seeder.dispose();
    probe.dispose();
  }
}

/** Milliseconds from opening `count` clients at once until the last one holds the whole text. */
async function timeJoin(target: CollabTarget, docPath: string, count: number, expectedLength: number) {
  const started = performance.now();
  const clients = Array.from({ length: count }, () => new CollabClient(target, encodeURIComponent(docPath)));
  try {
    await allWithin(
      clients.map(async (client) => {
        await client.synced;
        await waitFor(() => client.text.length === expectedLength, { timeoutMs: 60_000, intervalMs: 1 });
      }),
      120_000,
      `${count} clients to join ${docPath}`,
    );
    return performance.now() - started;
  } finally {
    for (const client of clients) client.dispose();
  }
}
