import { z } from 'zod';
import { Email } from './auth';
import { MachineTypeId, StudioRuntimeStatus } from './runtime';

export const Role = z.enum(['owner', 'editor', 'viewer']);
export type Role = z.infer<typeof Role>;

/** What each role may do; every HTTP route and stream asks this one table. */
export const RoleAbility = {
  owner: { read: true, write: true, manage: true },
  editor: { read: true, write: true, manage: false },
  viewer: { read: true, write: false, manage: false },
} as const satisfies Record<Role, { read: boolean; write: boolean; manage: boolean }>;

export const StudioName = z.string().trim().min(1).max(80);

export const StudioCreateBody = z.strictObject({
  name: StudioName,
  machineType: MachineTypeId.optional(),
});
export type StudioCreateBody = z.infer<typeof StudioCreateBody>;

export const StudioPatchBody = z.strictObject({ name: StudioName });
export type StudioPatchBody = z.infer<typeof StudioPatchBody>;

export const Studio = z.object({
  id: z.string(),
  name: z.string(),
  /** The caller's role in this Studio. */
  role: Role,
  ownerId: z.string(),
  machineType: z.string(),
  runtime: StudioRuntimeStatus,
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Studio = z.infer<typeof Studio>;

export const Member = z.object({
  userId: z.string(),
  email: z.string(),
  name: z.string(),
  role: Role,
  addedAt: z.string(),
});
export type Member = z.infer<typeof Member>;

export const MemberAddBody = z.strictObject({ email: Email, role: Role });
export type MemberAddBody = z.infer<typeof MemberAddBody>;

export const MemberPatchBody = z.strictObject({ role: Role });
export type MemberPatchBody = z.infer<typeof MemberPatchBody>;
