import { TEXT_SOURCE_NAME } from '@studios/protocol';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { mergeDiskChange, textOfState } from './disk-merge';

describe('mergeDiskChange', () => {
  it('keeps typing that has not reached the disk and lands the disk change', () => {
    const live = new Y.Doc();
    const text = live.getText(TEXT_SOURCE_NAME);
    text.insert(0, 'header\nbody\n');
    const base = Y.encodeStateAsUpdate(live);
    text.insert(text.length, 'typed at the bottom\n');

    const { delta, newBase } = mergeDiskChange(base, 'HEADER changed\nbody\n');
    Y.applyUpdate(live, delta);

    expect(text.toString()).toBe('HEADER changed\nbody\ntyped at the bottom\n');
    expect(textOfState(newBase)).toBe('HEADER changed\nbody\n');
    live.destroy();
  });

  it('is a no-op when the disk text equals the base text', () => {
    const live = new Y.Doc();
    live.getText(TEXT_SOURCE_NAME).insert(0, 'same');
    const base = Y.encodeStateAsUpdate(live);
    const { delta } = mergeDiskChange(base, 'same');
    const before = Y.encodeStateVector(live);
    Y.applyUpdate(live, delta);
    expect(Y.encodeStateVector(live)).toEqual(before);
    live.destroy();
  });
});
