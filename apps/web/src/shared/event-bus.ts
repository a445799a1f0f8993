import type { StudioEvent } from '@studios/protocol';

type Listener = (event: StudioEvent) => void;

/** Fans Studio events out to the features that care (file tree, editor save state). */
export interface StudioEventBus {
  subscribe(listener: Listener): () => void;
  emit(event: StudioEvent): void;
}

export function createEventBus(): StudioEventBus {
  const listeners = new Set<Listener>();
  return {
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    emit(event) {
      for (const listener of listeners) listener(event);
    },
  };
}
