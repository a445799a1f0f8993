import type { Disposable } from '@studios/base';
import type { Role } from '@studios/protocol';
import type { Database } from '../db/database';
import { MembersRepo } from '../db/members-repo';

type RoleListener = (role: Role | null) => void;

/**
 * The one place that answers "what may this user do in this Studio", and tells open sockets
 * the moment the answer changes. Whoever changes memberships calls a `notify…` method after
 * the change is committed; watchers then run synchronously.
 */
export class AccessControl {
  private readonly members: MembersRepo;
  /** studioId → userId → listeners */
  private readonly watchers = new Map<string, Map<string, Set<RoleListener>>>();

  constructor(db: Database) {
    this.members = new MembersRepo(db);
  }

  /** The user's role in the Studio, or null when they are not a member (or it does not exist). */
  roleOf(userId: string, studioId: string): Role | null {
    return this.members.roleOf(studioId, userId) ?? null;
  }

  /** Calls `listener` with the user's new role after every change to it (null: access gone). */
  watch(studioId: string, userId: string, listener: RoleListener): Disposable {
    let byUser = this.watchers.get(studioId);
    if (!byUser) {
      byUser = new Map();
      this.watchers.set(studioId, byUser);
    }
    let listeners = byUser.get(userId);
    if (!listeners) {
      listeners = new Set();
      byUser.set(userId, listeners);
    }
    listeners.add(listener);
    const owned = listeners;
    return {
      dispose: () => {
        owned.delete(listener);
        if (owned.size > 0) return;
        const users = this.watchers.get(studioId);
        users?.delete(userId);
        if (users?.size === 0) this.watchers.delete(studioId);
      },
    };
  }

  /** A membership was added, changed or removed. */
  notifyMembershipChanged(studioId: string, userId: string): void {
    this.fire(studioId, userId, this.roleOf(userId, studioId));
  }

  /** The Studio is gone: everyone's access becomes null. */
  notifyStudioDeleted(studioId: string): void {
    const byUser = this.watchers.get(studioId);
    if (!byUser) return;
    for (const userId of [...byUser.keys()]) this.fire(studioId, userId, null);
  }

  /** The account is gone: its access to every Studio becomes null. */
  notifyUserDeleted(userId: string): void {
    for (const [studioId, byUser] of [...this.watchers]) {
      if (byUser.has(userId)) this.fire(studioId, userId, null);
    }
  }

  /** Open watches, for leak checks in tests. */
  get watchCount(): number {
    let count = 0;
    for (const byUser of this.watchers.values()) for (const set of byUser.values()) count += set.size;
    return count;
  }

  private fire(studioId: string, userId: string, role: Role | null): void {
    const listeners = this.watchers.get(studioId)?.get(userId);
    if (!listeners) return;
    for (const listener of [...listeners]) listener(role);
  }
}
