/**
 * Anything that owns a resource (a timer, a subscription, a socket, a process): `dispose()`
 * releases it. Calling it again does nothing.
 */
export interface Disposable {
  dispose(): void;
}

/** A {@link Disposable} that runs `release` on the first `dispose()` only. */
export function toDisposable(release: () => void): Disposable {
  let released = false;
  return {
    dispose() {
      if (released) return;
      released = true;
      release();
    },
  };
}

/**
 * Owns several disposables and releases them together. `dispose()` disposes everything added,
 * newest first (what was set up last usually depends on what came before), exactly once; a
 * disposable added after that is disposed at once, so a late subscription cannot leak.
 */
export class DisposableStore implements Disposable {
  readonly #items: Disposable[] = [];
  #disposed = false;

  /** True once `dispose()` has run. */
  get isDisposed(): boolean {
    return this.#disposed;
  }

  /** Takes ownership of `item` and returns it, so `const x = store.add(new X())` reads well. */
  add<T extends Disposable>(item: T): T {
    if (this.#disposed) item.dispose();
    else this.#items.push(item);
    return item;
  }

  /**
   * Disposes every item, newest first. One item throwing does not stop the others; the errors
   * are thrown afterwards (the only one, or an AggregateError of all).
   */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    const errors: unknown[] = [];
    for (const item of this.#items.splice(0).reverse()) {
      try {
        item.dispose();
      } catch (error) {
        errors.push(error);
      }
    }
    if (errors.length === 1) throw errors[0];
    if (errors.length > 1) throw new AggregateError(errors, 'Several disposables failed to dispose');
  }
}
