/**
 * What keeps a Studio awake. Idle sleep must never stop a Studio someone is using, and every
 * channel — events, collab and terminal sockets today, kernels and SSH later — reports here, in
 * one place, rather than knowing about the runtime.
 */
export interface ActivitySink {
  /** Something happened in the Studio just now (terminal output, a save). */
  touch(studioId: string, source: string): void;
  /** A long-lived reason to stay awake (an open socket, a busy kernel) starts or ends. */
  setBusy(studioId: string, source: string, busy: boolean): void;
}

export class StudioActivity implements ActivitySink {
  readonly #sinks = new Set<ActivitySink>();
  #nextConnection = 0;

  /** The runtime subscribes here to feed its idle monitor. */
  subscribe(sink: ActivitySink): Disposable {
    this.#sinks.add(sink);
    return { dispose: () => this.#sinks.delete(sink) };
  }

  touch(studioId: string, source: string): void {
    for (const sink of this.#sinks) sink.touch(studioId, source);
  }

  setBusy(studioId: string, source: string, busy: boolean): void {
    for (const sink of this.#sinks) sink.setBusy(studioId, source, busy);
  }

  /** A client is connected: the Studio stays awake until the returned handle is disposed. */
  connected(studioId: string, source: string): Disposable {
    const key = `${source}#${++this.#nextConnection}`;
    this.setBusy(studioId, key, true);
    let open = true;
    return {
      dispose: () => {
        if (!open) return;
        open = false;
        this.setBusy(studioId, key, false);
      },
    };
  }
}

import type { Disposable } from '@studios/base';
