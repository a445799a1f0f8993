import { describe, expect, it } from 'vitest';
import { AsyncResource } from './use-async-resource';

/** A loader whose answers the test hands out one call at a time. */
function scriptedLoader<T>() {
  const pending: { resolve(value: T): void; reject(error: unknown): void }[] = [];
  const loader = () => new Promise<T>((resolve, reject) => pending.push({ resolve, reject }));
  return { loader, next: () => pending.shift() };
}

describe('AsyncResource', () => {
  it('starts empty and holds the loaded data', async () => {
    const { loader, next } = scriptedLoader<string[]>();
    const resource = new AsyncResource(loader);
    expect(resource.getSnapshot()).toEqual({ data: null, error: null });
    const loading = resource.load();
    next()?.resolve(['a']);
    await loading;
    expect(resource.getSnapshot()).toEqual({ data: ['a'], error: null });
  });

  it('keeps shown data on failure and clears the error when a retry starts', async () => {
    const { loader, next } = scriptedLoader<string[]>();
    const resource = new AsyncResource(loader);
    const first = resource.load();
    next()?.resolve(['a']);
    await first;

    const failing = resource.load();
    const failure = new Error('offline');
    next()?.reject(failure);
    await failing;
    expect(resource.getSnapshot()).toEqual({ data: ['a'], error: failure });

    const retry = resource.load();
    expect(resource.getSnapshot()).toEqual({ data: ['a'], error: null });
    next()?.resolve(['a', 'b']);
    await retry;
    expect(resource.getSnapshot()).toEqual({ data: ['a', 'b'], error: null });
  });

  it('applies local updates and notifies subscribers until they unsubscribe', async () => {
    const { loader, next } = scriptedLoader<string[]>();
    const resource = new AsyncResource(loader);
    let notified = 0;
    const unsubscribe = resource.subscribe(() => notified++);
    const loading = resource.load();
    next()?.resolve(['a', 'b']);
    await loading;
    expect(notified).toBe(2);

    resource.update((list) => list?.filter((item) => item !== 'a') ?? null);
    expect(resource.getSnapshot().data).toEqual(['b']);
    expect(notified).toBe(3);

    unsubscribe();
    resource.update(() => null);
    expect(notified).toBe(3);
  });
});
