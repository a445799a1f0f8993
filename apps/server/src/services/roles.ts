import { type Role, RoleAbility } from '@studios/protocol';

/** The ability in `RoleAbility` that a minimum role stands for. */
const ABILITY_OF_MIN_ROLE = { owner: 'manage', editor: 'write', viewer: 'read' } as const satisfies Record<
  Role,
  keyof (typeof RoleAbility)['owner']
>;

/**
 * Whether `role` may do what `minRole` may. Every HTTP route and socket asks this one helper,
 * which reads the single `RoleAbility` table.
 */
export function roleAtLeast(role: Role | null | undefined, minRole: Role): boolean {
  if (!role) return false;
  return RoleAbility[role][ABILITY_OF_MIN_ROLE[minRole]];
}
