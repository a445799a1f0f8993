import type { CollabAwarenessUser } from '@studios/protocol';

/** Reads the `user` field of one awareness state, ignoring anything malformed. */
export function awarenessUser(state: unknown): CollabAwarenessUser | null {
  if (!state || typeof state !== 'object') return null;
  const user = (state as { user?: unknown }).user;
  if (!user || typeof user !== 'object') return null;
  const { id, name, color, file } = user as Record<string, unknown>;
  if (typeof id !== 'string' || typeof name !== 'string' || typeof color !== 'string') return null;
  return { id, name: name.slice(0, 80), color, ...(typeof file === 'string' ? { file } : {}) };
}

/** Every valid user among awareness states (one user may appear once per browser tab). */
export function awarenessUsers(states: Map<number, unknown>): CollabAwarenessUser[] {
  const users: CollabAwarenessUser[] = [];
  for (const state of states.values()) {
    const user = awarenessUser(state);
    if (user) users.push(user);
  }
  return users;
}
