import type { CollabAwarenessUser } from '@studios/protocol';

/** One person seen in any open document's awareness. */
export interface PresentUser extends CollabAwarenessUser {
  isSelf: boolean;
}

/**
 * Merges the awareness of every open document into one list of people (deduplicated by
 * user id), so the header shows everyone we can see regardless of which file they are in.
 */
export class PresenceStore {
  private readonly byDocument = new Map<string, CollabAwarenessUser[]>();
  private readonly listeners = new Set<() => void>();
  private snapshot: PresentUser[] = [];

  constructor(private readonly selfId: string) {}

  /** Replaces what one document's awareness currently shows. */
  setDocumentUsers(path: string, users: CollabAwarenessUser[]): void {
    this.byDocument.set(path, users);
    this.recompute();
  }

  removeDocument(path: string): void {
    if (this.byDocument.delete(path)) this.recompute();
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): PresentUser[] => this.snapshot;

  private recompute(): void {
    this.snapshot = mergePresence(this.selfId, [...this.byDocument.values()]);
    for (const listener of this.listeners) listener();
  }
}

/** One entry per user id; self first, then others by name. */
export function mergePresence(selfId: string, documents: CollabAwarenessUser[][]): PresentUser[] {
  const byId = new Map<string, CollabAwarenessUser>();
  for (const users of documents) {
    for (const user of users) {
      const known = byId.get(user.id);
      // Prefer the state that says which file the user is in.
      if (!known || (!known.file && user.file)) byId.set(user.id, user);
    }
  }
  return [...byId.values()]
    .map((user) => ({ ...user, isSelf: user.id === selfId }))
    .sort((a, b) => (a.isSelf !== b.isSelf ? (a.isSelf ? -1 : 1) : a.name.localeCompare(b.name)));
}
