import type { Disposable } from './disposable';
import { host } from './host';

/**
 * The listeners of one event. `add` hands out a {@link Disposable} that removes the listener.
 * `emit` calls every listener present when it starts, in the order they were added; a listener
 * that throws does not stop the others: its error is rethrown in a microtask, where it reaches
 * the host's uncaught-error handling instead of the emitter.
 */
export class ListenerSet<T> {
  readonly #listeners = new Set<(value: T) => void>();

  /** Adds `listener` until the returned handle is disposed. */
  add(listener: (value: T) => void): Disposable {
    this.#listeners.add(listener);
    return { dispose: () => this.#listeners.delete(listener) };
  }

  /** Calls every listener with `value`. */
  emit(value: T): void {
    for (const listener of [...this.#listeners]) {
      try {
        listener(value);
      } catch (error) {
        host.queueMicrotask(() => {
          throw error;
        });
      }
    }
  }

  /** How many listeners are registered. */
  get size(): number {
    return this.#listeners.size;
  }

  /** Removes every listener (on dispose of the owner). */
  clear(): void {
    this.#listeners.clear();
  }
}
