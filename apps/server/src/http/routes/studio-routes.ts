import {
  MachineType,
  Member,
  MemberAddBody,
  MemberPatchBody,
  Studio,
  StudioCreateBody,
  StudioPatchBody,
} from '@studios/protocol';
import type { Context } from 'hono';
import { z } from 'zod';
import { toStudioDto } from '../../services/studios-service';
import type { AppEnv } from '../app-env';
import { requireStudioRole, requireUser } from '../authenticate';
import { defineRoute } from '../route-table';

const param = (c: Context<AppEnv>, name: string) => c.req.param(name) as string;

/** Studios, their members and the machine catalog. */
export const studioRoutes = [
  defineRoute({
    method: 'get',
    path: '/machine-types',
    tag: 'studios',
    summary: 'Machine types a Studio can run on',
    response: z.array(MachineType),
    handler: (c) => {
      requireUser(c);
      return [...c.get('services').config.machineTypes];
    },
  }),
  defineRoute({
    method: 'get',
    path: '/studios',
    tag: 'studios',
    summary: 'Studios the caller is a member of',
    response: z.array(Studio),
    handler: (c) => c.get('services').studios.listForUser(requireUser(c).id),
  }),
  defineRoute({
    method: 'post',
    path: '/studios',
    tag: 'studios',
    summary: 'Create a Studio; the caller becomes its owner',
    body: StudioCreateBody,
    response: Studio,
    status: 201,
    handler: (c, body) => toStudioDto(c.get('services').studios.create(requireUser(c).id, body), 'owner'),
  }),
  defineRoute({
    method: 'get',
    path: '/studios/:id',
    tag: 'studios',
    summary: 'One Studio',
    response: Studio,
    handler: (c) => {
      const { studio, role } = requireStudioRole(c, param(c, 'id'), 'viewer');
      return toStudioDto(studio, role);
    },
  }),
  defineRoute({
    method: 'patch',
    path: '/studios/:id',
    tag: 'studios',
    summary: 'Rename a Studio (owner)',
    body: StudioPatchBody,
    response: Studio,
    handler: (c, body) => {
      const { studio, role } = requireStudioRole(c, param(c, 'id'), 'owner');
      return toStudioDto(c.get('services').studios.rename(studio.id, body.name), role);
    },
  }),
  defineRoute({
    method: 'delete',
    path: '/studios/:id',
    tag: 'studios',
    summary: 'Delete a Studio, its container and its files (owner)',
    handler: async (c) => {
      const { studio } = requireStudioRole(c, param(c, 'id'), 'owner');
      await c.get('services').studios.delete(studio.id);
    },
  }),
  defineRoute({
    method: 'get',
    path: '/studios/:id/members',
    tag: 'members',
    summary: "A Studio's members",
    response: z.array(Member),
    handler: (c) => {
      const { studio } = requireStudioRole(c, param(c, 'id'), 'viewer');
      return c.get('services').members.list(studio.id);
    },
  }),
  defineRoute({
    method: 'post',
    path: '/studios/:id/members',
    tag: 'members',
    summary: 'Add an existing account to a Studio (owner)',
    body: MemberAddBody,
    response: Member,
    status: 201,
    handler: (c, body) => {
      const { studio } = requireStudioRole(c, param(c, 'id'), 'owner');
      return c.get('services').members.add(studio.id, body.email, body.role);
    },
  }),
  defineRoute({
    method: 'patch',
    path: '/studios/:id/members/:userId',
    tag: 'members',
    summary: "Change a member's role (owner); the last owner cannot be downgraded",
    body: MemberPatchBody,
    response: Member,
    handler: (c, body) => {
      const { studio } = requireStudioRole(c, param(c, 'id'), 'owner');
      return c.get('services').members.changeRole(studio.id, param(c, 'userId'), body.role);
    },
  }),
  defineRoute({
    method: 'delete',
    path: '/studios/:id/members/:userId',
    tag: 'members',
    summary: 'Remove a member (owner), or leave (any member); the last owner cannot be removed',
    handler: (c) => {
      const userId = param(c, 'userId');
      const leaving = requireUser(c).id === userId;
      const { studio } = requireStudioRole(c, param(c, 'id'), leaving ? 'viewer' : 'owner');
      c.get('services').members.remove(studio.id, userId);
    },
  }),
];
