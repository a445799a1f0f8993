import path from 'node:path';
import { waitFor } from '@studios/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import type { TracePatch } from './b4-trace';
import { type CollabTarget, startStockTarget } from './collab-targets';
import { FanoutRoom } from './fanout';
import { allWithin } from './yjs-client';

const benchDir = path.resolve(import.meta.dirname, '../..');
const patches: TracePatch[] = [
  { position: 0, deleteCount: 0, insert: 'hello' },
  { position: 5, deleteCount: 0, insert: ' world' },
  { position: 0, deleteCount: 1, insert: '' },
  { position: 0, deleteCount: 0, insert: 'H' },
];

describe('FanoutRoom against the stock server', () => {
  let target: CollabTarget | undefined;
  let room: FanoutRoom | undefined;

  afterEach(async () => {
    room?.dispose();
    await target?.[Symbol.asyncDispose]();
  });

  it('records one latency per op per receiver, delete-only ops included', async () => {
    target = await startStockTarget({ benchDir });
    const opened = new FanoutRoom(target, 'fanout-test.txt', 3, patches);
    room = opened;
    await allWithin(
      opened.clients.map((client) => client.synced),
      20_000,
      'clients to sync',
    );
    for (let op = 0; op < patches.length; op++) opened.applyNextOp();
    await waitFor(() => opened.caughtUp, { timeoutMs: 20_000, what: 'receivers to catch up' });
    const latencies = opened.takeLatencies();
    expect(latencies).toHaveLength(patches.length * 3);
    expect(latencies.every((latency) => latency >= 0)).toBe(true);
    expect(opened.receivers.map((receiver) => receiver.text.toString())).toEqual([
      'Hello world',
      'Hello world',
      'Hello world',
    ]);
    expect(opened.takeLatencies()).toEqual([]);
  });
});
