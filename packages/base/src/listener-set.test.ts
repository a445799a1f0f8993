import { describe, expect, it } from 'vitest';
import { ListenerSet } from './listener-set';

describe('ListenerSet', () => {
  it('calls listeners in the order they were added until they are disposed', () => {
    const set = new ListenerSet<number>();
    const seen: string[] = [];
    const a = set.add((value) => seen.push(`a${value}`));
    set.add((value) => seen.push(`b${value}`));
    set.emit(1);
    a.dispose();
    set.emit(2);
    expect(seen).toEqual(['a1', 'b1', 'b2']);
    expect(set.size).toBe(1);
    set.clear();
    expect(set.size).toBe(0);
  });

  it('keeps calling the others when one throws, and rethrows that error in a microtask', async () => {
    const set = new ListenerSet<string>();
    const seen: string[] = [];
    set.add(() => {
      throw new Error('listener failed');
    });
    set.add((value) => seen.push(value));
    const rethrown = new Promise<unknown>((resolve) => {
      const view = globalThis as unknown as { queueMicrotask(callback: () => void): void };
      const original = view.queueMicrotask;
      view.queueMicrotask = (callback) => {
        view.queueMicrotask = original;
        try {
          callback();
        } catch (error) {
          resolve(error);
        }
      };
    });
    set.emit('x');
    expect(seen).toEqual(['x']);
    await expect(rethrown).resolves.toMatchObject({ message: 'listener failed' });
  });
});
