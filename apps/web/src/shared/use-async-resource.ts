import { useEffect, useState, useSyncExternalStore } from 'react';

/** What a page knows about something it fetched: `data` is `null` until the first load lands. */
export interface ResourceState<T> {
  data: T | null;
  /** The last load's rejection, cleared when a new load starts. */
  error: unknown;
}

/**
 * One fetched value, its load error and a retry. Kept free of React and the DOM so the state
 * rules can be tested in Node; `useAsyncResource` binds it to a component.
 */
export class AsyncResource<T> {
  #state: ResourceState<T> = { data: null, error: null };
  readonly #listeners = new Set<() => void>();
  readonly #loader: () => Promise<T>;

  constructor(loader: () => Promise<T>) {
    this.#loader = loader;
  }

  getSnapshot = (): ResourceState<T> => this.#state;

  subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  /** (Re)loads; data already shown stays until the answer replaces it. */
  load = (): Promise<void> => {
    this.#set({ ...this.#state, error: null });
    return this.#loader().then(
      (data) => this.#set({ ...this.#state, data }),
      (error: unknown) => this.#set({ ...this.#state, error }),
    );
  };

  /** Applies a local change, e.g. after a create or delete, without refetching. */
  update = (change: (data: T | null) => T | null): void => {
    this.#set({ ...this.#state, data: change(this.#state.data) });
  };

  #set(next: ResourceState<T>) {
    this.#state = next;
    for (const listener of this.#listeners) listener();
  }
}

/**
 * Loads `loader` on mount and exposes `{ data, error, reload, update }`. The first `loader` is
 * used for the component's lifetime, so pass a stable function such as `api.tokens.list`.
 * `refreshOnVisible` reloads whenever the tab comes back into view.
 */
export function useAsyncResource<T>(
  loader: () => Promise<T>,
  { refreshOnVisible = false }: { refreshOnVisible?: boolean } = {},
) {
  const [resource] = useState(() => new AsyncResource(loader));
  const { data, error } = useSyncExternalStore(resource.subscribe, resource.getSnapshot);

  useEffect(() => {
    void resource.load();
    if (!refreshOnVisible) return;
    const onVisible = () => document.visibilityState === 'visible' && void resource.load();
    document.addEventListener('visibilitychange', onVisible);
    return () => document.removeEventListener('visibilitychange', onVisible);
  }, [resource, refreshOnVisible]);

  return { data, error, reload: resource.load, update: resource.update };
}
