import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock, Logger } from '@studios/base';
import {
  ErrorCode,
  type MachineType,
  type Role,
  type Studio,
  type StudioCreateBody,
  type StudioState,
  StudiosError,
} from '@studios/protocol';
import type { Database } from '../db/database';
import { MembersRepo } from '../db/members-repo';
import { type StudioRecord, StudiosRepo } from '../db/studios-repo';
import { newId } from '../ids';
import { isoTime } from '../iso-time';
import { describeError } from '../logger';
import type { AccessControl } from './access-control';
import type { StudioEventHub } from './event-hub';

export interface StudiosServiceOptions {
  db: Database;
  dataDir: string;
  clock: Clock;
  access: AccessControl;
  events: StudioEventHub;
  machineTypes: readonly MachineType[];
  log: Logger;
}

/** The public shape of a Studio as seen by a member with `role`. */
export function toStudioDto(studio: StudioRecord, role: Role): Studio {
  return {
    id: studio.id,
    name: studio.name,
    role,
    ownerId: studio.ownerId,
    machineType: studio.machineType,
    runtime: {
      state: studio.runtimeState,
      machineType: studio.machineType,
      ...(studio.runtimeMessage ? { message: studio.runtimeMessage } : {}),
    },
    createdAt: studio.createdAt,
    updatedAt: studio.updatedAt,
  };
}

/** Everything a Studio has on this host: `<dataDir>/studios/<id>`. */
function studioFolder(dataDir: string, id: string): string {
  return join(dataDir, 'studios', id);
}

/** A Studio's workspace folder, `<dataDir>/studios/<id>/workspace` (the mount source of /workspace). */
function studioWorkspaceDir(dataDir: string, id: string): string {
  return join(studioFolder(dataDir, id), 'workspace');
}

/**
 * Studios and their workspace folders. Features read Studios through this service and are told
 * about deletions through hooks, so nothing else touches the `studios` table.
 */
export class StudiosService {
  private readonly studios: StudiosRepo;
  private readonly members: MembersRepo;
  private readonly deletionHooks: Array<(studioId: string) => Promise<void>> = [];

  constructor(private readonly options: StudiosServiceOptions) {
    this.studios = new StudiosRepo(options.db);
    this.members = new MembersRepo(options.db);
  }

  /** A Studio by id, regardless of who asks; callers check access first. */
  get(id: string): StudioRecord | undefined {
    return this.studios.byId(id);
  }

  /** `<dataDir>/studios/<id>/workspace`, mounted at /workspace in the Studio. */
  workspaceDir(id: string): string {
    return studioWorkspaceDir(this.options.dataDir, id);
  }

  machineType(id: string): MachineType | undefined {
    return this.options.machineTypes.find((machine) => machine.id === id);
  }

  listForUser(userId: string): Studio[] {
    return this.studios.listForUser(userId).map((studio) => toStudioDto(studio, studio.role));
  }

  /** Creates a Studio owned by `ownerId`, with its workspace folder; all or nothing. */
  create(ownerId: string, body: StudioCreateBody): StudioRecord {
    const machineType = body.machineType ?? this.options.machineTypes[0]?.id ?? 'cpu-small';
    if (!this.machineType(machineType)) {
      throw new StudiosError(ErrorCode.UnknownMachineType, `There is no machine type "${machineType}"`);
    }
    const now = isoTime(this.options.clock.now());
    const studio: StudioRecord = {
      id: newId(),
      name: body.name,
      ownerId,
      machineType,
      runtimeState: 'stopped',
      runtimeMessage: null,
      createdAt: now,
      updatedAt: now,
    };
    this.options.db
      .transaction(() => {
        this.studios.insert(studio);
        this.members.insert(studio.id, ownerId, 'owner', now);
        // Inside the transaction: if the folder cannot be made, the rows roll back.
        mkdirSync(this.workspaceDir(studio.id), { recursive: true });
      })
      .immediate();
    this.options.access.notifyMembershipChanged(studio.id, ownerId);
    return studio;
  }

  rename(id: string, name: string): StudioRecord {
    this.studios.rename(id, name, isoTime(this.options.clock.now()));
    this.options.events.publish(id, { type: 'studio', name });
    return this.studios.byId(id) as StudioRecord;
  }

  /** Records the runtime's view of the Studio (set by the runtime feature). */
  setRuntimeState(id: string, state: StudioState, message?: string): void {
    this.studios.setRuntime(id, state, message ?? null);
  }

  setMachineType(id: string, machineType: string): void {
    this.studios.setMachineType(id, machineType, isoTime(this.options.clock.now()));
  }

  /** Registers work to do before a Studio's row disappears (stop containers, drop docs). */
  onBeforeDelete(hook: (studioId: string) => Promise<void>): void {
    this.deletionHooks.push(hook);
  }

  /**
   * Deletes a Studio: features clean up first (in reverse order of registration, as shutdown
   * does: documents close before the agent that writes them, the agent before the container),
   * then the rows, then the folder; sockets close.
   */
  async delete(id: string): Promise<void> {
    for (const hook of [...this.deletionHooks].reverse()) await hook(id);
    if (!this.studios.delete(id)) return;
    this.options.access.notifyStudioDeleted(id);
    try {
      rmSync(this.studioDir(id), { recursive: true, force: true });
    } catch (error) {
      // The Studio is gone for users either way; a leftover folder is an operator's cleanup.
      this.options.log.error('could not remove studio folder', { studioId: id, ...describeError(error) });
    }
  }

  private studioDir(id: string): string {
    return studioFolder(this.options.dataDir, id);
  }
}
