import { join } from 'node:path';
import { TEXT_SOURCE_NAME } from '@studios/protocol';
import { tempDirs } from '@studios/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { UpdateLog } from './update-log';

const dirs = tempDirs();
afterEach(() => dirs.cleanup());

function textOf(update: Uint8Array): string {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, update);
  return doc.getText(TEXT_SOURCE_NAME).toString();
}

describe('UpdateLog', () => {
  it('compacts around the base so both the base state and the full state survive', async () => {
    const log = new UpdateLog(join(dirs.make(), 'collab.db'));
    const doc = new Y.Doc();
    let lastSeq = 0;
    doc.on('update', (update: Uint8Array) => {
      lastSeq = log.append('s1', 'a.txt', update);
    });
    const text = doc.getText(TEXT_SOURCE_NAME);
    for (let i = 0; i < 50; i++) text.insert(text.length, `${i},`);
    const savedText = text.toString();
    log.setBase('s1', 'a.txt', { baseSeq: lastSeq, extra: null, fileHash: 'h' });
    for (let i = 0; i < 50; i++) text.insert(0, 'x');

    log.compact('s1', 'a.txt');
    expect(log.count('s1', 'a.txt')).toBe(2);
    const stored = log.load('s1', 'a.txt');
    expect(textOf(Y.mergeUpdates(stored.updates))).toBe(text.toString());
    expect(
      textOf(log.baseState('s1', 'a.txt', stored.base ?? { baseSeq: 0, extra: null, fileHash: '' })),
    ).toBe(savedText);

    // An offline replica built from the original updates merges without duplicating anything.
    const replica = new Y.Doc();
    Y.applyUpdate(replica, Y.encodeStateAsUpdate(doc));
    Y.applyUpdate(replica, Y.mergeUpdates(stored.updates));
    expect(replica.getText(TEXT_SOURCE_NAME).toString()).toBe(text.toString());
    log.close();
  });

  it('moves and drops a folder of docs, and a stale destination log does not win', async () => {
    const log = new UpdateLog(join(dirs.make(), 'collab.db'));
    log.append('s1', 'src/a.ts', new Uint8Array([0, 0]));
    log.append('s1', 'src/lib/b.ts', new Uint8Array([0, 0]));
    log.append('s1', 'srcx/c.ts', new Uint8Array([0, 0]));
    log.append('s1', 'out/a.ts', new Uint8Array([0, 0]));
    log.move('s1', 'src', 'out');
    expect(log.count('s1', 'out/a.ts')).toBe(1);
    expect(log.count('s1', 'out/lib/b.ts')).toBe(1);
    expect(log.count('s1', 'srcx/c.ts')).toBe(1);
    log.drop('s1', 'out');
    expect(log.count('s1', 'out/lib/b.ts')).toBe(0);
    expect(log.count('s1', 'srcx/c.ts')).toBe(1);
    log.close();
  });
});
