import type { Clock } from '@studios/base';
import type { Member, Role } from '@studios/protocol';
import type { Database } from '../db/database';
import { type MemberRecord, MembersRepo } from '../db/members-repo';
import { StudiosRepo } from '../db/studios-repo';
import { UsersRepo } from '../db/users-repo';
import { errors } from '../errors';
import { isoTime } from '../iso-time';
import type { AccessControl } from './access-control';

export interface MembersServiceOptions {
  db: Database;
  clock: Clock;
  access: AccessControl;
}

/** The public shape of a membership. */
export function toMemberDto(member: MemberRecord): Member {
  return {
    userId: member.userId,
    email: member.email,
    name: member.name,
    role: member.role,
    addedAt: member.addedAt,
  };
}

/**
 * Who belongs to a Studio. Every change runs in one transaction and keeps at least one owner;
 * afterwards access watchers hear about it (sockets close or go read-only).
 */
export class MembersService {
  private readonly members: MembersRepo;
  private readonly users: UsersRepo;
  private readonly studios: StudiosRepo;

  constructor(private readonly options: MembersServiceOptions) {
    this.members = new MembersRepo(options.db);
    this.users = new UsersRepo(options.db);
    this.studios = new StudiosRepo(options.db);
  }

  list(studioId: string): Member[] {
    return this.members.list(studioId).map(toMemberDto);
  }

  add(studioId: string, email: string, role: Role): Member {
    const member = this.options.db
      .transaction(() => {
        const user = this.users.byEmail(email);
        if (!user) {
          throw errors.notFound(`No Studios account uses ${email}; ask them to sign up first`);
        }
        if (this.members.roleOf(studioId, user.id)) {
          throw errors.conflict(`${email} is already a member of this Studio`);
        }
        this.members.insert(studioId, user.id, role, isoTime(this.options.clock.now()));
        return this.members.get(studioId, user.id) as MemberRecord;
      })
      .immediate();
    this.options.access.notifyMembershipChanged(studioId, member.userId);
    return toMemberDto(member);
  }

  changeRole(studioId: string, userId: string, role: Role): Member {
    const member = this.options.db
      .transaction(() => {
        const current = this.members.get(studioId, userId);
        if (!current) throw errors.notFound('That user is not a member of this Studio');
        if (current.role === role) return current;
        this.members.setRole(studioId, userId, role);
        this.keepAnOwner(studioId, 'Give another member the owner role before changing this one');
        return { ...current, role };
      })
      .immediate();
    // Per-user news (the `role` event) reaches that user's sockets through the access watchers.
    this.options.access.notifyMembershipChanged(studioId, userId);
    return toMemberDto(member);
  }

  remove(studioId: string, userId: string): void {
    this.options.db
      .transaction(() => {
        if (!this.members.roleOf(studioId, userId))
          throw errors.notFound('That user is not a member of this Studio');
        this.members.delete(studioId, userId);
        this.keepAnOwner(studioId, 'A Studio needs an owner: give another member the owner role first');
      })
      .immediate();
    this.options.access.notifyMembershipChanged(studioId, userId);
  }

  /** Throws (rolling the transaction back) when no owner would remain; keeps owner_id on an owner. */
  private keepAnOwner(studioId: string, message: string): void {
    const owners = this.members.owners(studioId);
    const first = owners[0];
    if (!first) throw errors.conflict(message);
    const studio = this.studios.byId(studioId);
    if (studio && !owners.includes(studio.ownerId)) {
      this.studios.setOwner(studioId, first, isoTime(this.options.clock.now()));
    }
  }
}
