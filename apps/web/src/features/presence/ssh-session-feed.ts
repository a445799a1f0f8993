import type { SshSessionInfo } from '@studios/protocol';

/**
 * Who is connected to a Studio over SSH, from two sources: the `GET …/ssh/sessions` answer and
 * the `ssh-sessions` event. Each carries the full list; an event that lands while a request is
 * in flight is newer than the answer, so such an answer is dropped.
 */
export class SshSessionFeed {
  #sessions: readonly SshSessionInfo[] = [];
  #pushes = 0;
  readonly #listeners = new Set<() => void>();

  /** Call before sending the request; hand the result to `answer`. */
  ask(): number {
    return this.#pushes;
  }

  /** Applies a request's answer unless an event replaced the list since `ask`. */
  answer(asked: number, sessions: readonly SshSessionInfo[]): boolean {
    if (asked !== this.#pushes) return false;
    this.#set(sessions);
    return true;
  }

  /** Applies an `ssh-sessions` event. */
  push(sessions: readonly SshSessionInfo[]): void {
    this.#pushes += 1;
    this.#set(sessions);
  }

  getSnapshot = (): readonly SshSessionInfo[] => this.#sessions;

  subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  #set(sessions: readonly SshSessionInfo[]) {
    this.#sessions = sessions;
    for (const listener of this.#listeners) listener();
  }
}
