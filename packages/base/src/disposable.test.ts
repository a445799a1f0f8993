import { describe, expect, it } from 'vitest';
import { DisposableStore, toDisposable } from './disposable';

describe('toDisposable', () => {
  it('runs the release function once however often it is disposed', () => {
    let released = 0;
    const disposable = toDisposable(() => released++);
    disposable.dispose();
    disposable.dispose();
    expect(released).toBe(1);
  });
});

describe('DisposableStore', () => {
  it('disposes everything added, newest first, exactly once', () => {
    const order: string[] = [];
    const store = new DisposableStore();
    const first = store.add(toDisposable(() => order.push('first')));
    store.add(toDisposable(() => order.push('second')));
    expect(first).toHaveProperty('dispose');
    expect(store.isDisposed).toBe(false);
    store.dispose();
    store.dispose();
    expect(order).toEqual(['second', 'first']);
    expect(store.isDisposed).toBe(true);
  });

  it('disposes at once what is added after it was disposed', () => {
    const store = new DisposableStore();
    store.dispose();
    let released = false;
    store.add(toDisposable(() => (released = true)));
    expect(released).toBe(true);
  });

  it('disposes the rest when one throws, then throws what failed', () => {
    const store = new DisposableStore();
    let released = false;
    store.add(toDisposable(() => (released = true)));
    store.add(
      toDisposable(() => {
        throw new Error('boom');
      }),
    );
    expect(() => store.dispose()).toThrow('boom');
    expect(released).toBe(true);
  });

  it('reports several failures together', () => {
    const store = new DisposableStore();
    for (const name of ['a', 'b'])
      store.add(
        toDisposable(() => {
          throw new Error(name);
        }),
      );
    expect(() => store.dispose()).toThrow(AggregateError);
  });
});
