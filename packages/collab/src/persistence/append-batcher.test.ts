import { join } from 'node:path';
import { tempDirs } from '@studios/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { AppendBatcher, type AppendSink, type PendingAppend } from './append-batcher';
import { UpdateLog } from './update-log';

const dirs = tempDirs();
const logs: UpdateLog[] = [];
afterEach(async () => {
  for (const log of logs.splice(0)) log.close();
  dirs.cleanup();
});

async function openLog(): Promise<{ log: UpdateLog; dbPath: string }> {
  const dbPath = join(dirs.make('batch-'), 'collab.db');
  const log = new UpdateLog(dbPath);
  logs.push(log);
  return { log, dbPath };
}

/** A batcher whose commits run only when the test says so. */
function manualBatcher(log: UpdateLog) {
  const scheduled: Array<() => void> = [];
  const batcher = new AppendBatcher(log, { schedule: (commit) => scheduled.push(commit) });
  const runScheduled = () => {
    for (const commit of scheduled.splice(0)) commit();
  };
  return { batcher, scheduled, runScheduled };
}

/** A sink that records what it was told and, at that moment, what a second connection reads. */
function recordingSink(readBack: () => number) {
  const events: Array<{ kind: 'committed' | 'failed'; update: number; seq?: number; rowsVisible: number }> =
    [];
  const sink: AppendSink = {
    committed: (append: PendingAppend, seq: number) =>
      events.push({ kind: 'committed', update: append.update[0] ?? -1, seq, rowsVisible: readBack() }),
    failed: (append: PendingAppend) =>
      events.push({ kind: 'failed', update: append.update[0] ?? -1, rowsVisible: readBack() }),
  };
  return { sink, events };
}

describe('AppendBatcher', () => {
  it('commits the updates of one turn in one transaction, in order, before any sink hears of them', async () => {
    const { log, dbPath } = await openLog();
    // A second connection sees only committed rows, as a restarted server would.
    const reader = new UpdateLog(dbPath);
    logs.push(reader);
    const visible = () => reader.count('s1', 'a.txt') + reader.count('s1', 'b.txt');
    const { batcher, scheduled, runScheduled } = manualBatcher(log);
    const a = recordingSink(visible);
    const b = recordingSink(visible);
    const done: string[] = [];
    a.sink.batchDone = () => done.push(`a after ${a.events.length}`);
    b.sink.batchDone = () => done.push(`b after ${b.events.length}`);

    batcher.enqueue(a.sink, { studioId: 's1', path: 'a.txt', update: Uint8Array.of(1) }, 'x');
    batcher.enqueue(b.sink, { studioId: 's1', path: 'b.txt', update: Uint8Array.of(2) }, 'y');
    batcher.enqueue(a.sink, { studioId: 's1', path: 'a.txt', update: Uint8Array.of(3) }, 'x');
    expect(scheduled).toHaveLength(1);
    expect(batcher.pendingCount).toBe(3);
    expect(visible()).toBe(0);
    expect(a.events).toEqual([]);

    runScheduled();
    // Every sink call happened after all three rows were durable.
    expect(a.events.map((event) => [event.update, event.rowsVisible])).toEqual([
      [1, 3],
      [3, 3],
    ]);
    expect(b.events.map((event) => [event.update, event.rowsVisible])).toEqual([[2, 3]]);
    // Each sink hears once that its share of the commit is complete, after all of it.
    expect(done).toEqual(['a after 2', 'b after 1']);
    const seqs = [a.events[0]?.seq, b.events[0]?.seq, a.events[1]?.seq] as number[];
    expect([...seqs].sort((x, y) => x - y)).toEqual(seqs);
    expect(reader.load('s1', 'a.txt').updates.map((update) => update[0])).toEqual([1, 3]);
  });

  it('commits on demand (before a reader sees the doc) and schedules again afterwards', async () => {
    const { log } = await openLog();
    const { batcher, scheduled, runScheduled } = manualBatcher(log);
    const { sink, events } = recordingSink(() => log.count('s1', 'a.txt'));
    batcher.enqueue(sink, { studioId: 's1', path: 'a.txt', update: Uint8Array.of(7) }, null);
    batcher.commit();
    expect(events).toEqual([{ kind: 'committed', update: 7, seq: 1, rowsVisible: 1 }]);
    // The turn's scheduled commit finds nothing left to do.
    runScheduled();
    expect(events).toHaveLength(1);
    batcher.enqueue(sink, { studioId: 's1', path: 'a.txt', update: Uint8Array.of(8) }, null);
    expect(scheduled).toHaveLength(1);
    runScheduled();
    expect(events.map((event) => event.update)).toEqual([7, 8]);
  });

  it('runs queued small writes inside the next commit', async () => {
    const { log } = await openLog();
    const { batcher, runScheduled } = manualBatcher(log);
    batcher.writeWithNextCommit(() =>
      log.setBase('s1', 'a.txt', { baseSeq: 0, extra: null, fileHash: 'h1' }),
    );
    expect(log.base('s1', 'a.txt')).toBeNull();
    runScheduled();
    expect(log.base('s1', 'a.txt')?.fileHash).toBe('h1');
  });

  it('tells every sink of a failed commit and shows none of its updates', async () => {
    const { log } = await openLog();
    const { batcher, runScheduled } = manualBatcher(log);
    const { sink, events } = recordingSink(() => 0);
    batcher.enqueue(sink, { studioId: 's1', path: 'a.txt', update: Uint8Array.of(1) }, null);
    batcher.enqueue(sink, { studioId: 's1', path: 'a.txt', update: Uint8Array.of(2) }, null);
    log.close();
    runScheduled();
    expect(events.map((event) => [event.kind, event.update])).toEqual([
      ['failed', 1],
      ['failed', 2],
    ]);
  });
});
