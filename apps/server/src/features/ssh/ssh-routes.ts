import {
  isStudiosError,
  SshConnectInfo,
  SshGatewayInfo,
  SshKeyAddBody,
  SshKeySummary,
  SshSessionList,
} from '@studios/protocol';
import type { RuntimeDriver } from '@studios/runtime';
import { z } from 'zod';
import { requireStudioRole, requireUser } from '../../http/authenticate';
import { type ApiRoute, defineRoute } from '../../http/route-table';
import { assertMayRunProcesses } from '../../services/process-policy';
import { connectInfo } from './ssh-connect-info';
import type { SshKeyService } from './ssh-key-service';
import type { SshSessionRegistry } from './ssh-session-registry';

const TAG = 'ssh';

/**
 * REST for Remote-SSH: a person's public keys, the gateway's address and host key, how to
 * connect to one Studio (editors and owners: viewers cannot log in), and who is connected.
 */
export function sshRoutes({
  keys,
  sessions,
  gateway,
  driver,
}: {
  /** The runtime's kind decides who may run processes (the local runtime: its admin only). */
  driver: Pick<RuntimeDriver, 'kind'>;
  keys: SshKeyService;
  sessions: SshSessionRegistry;
  /** The gateway as clients reach it (its host key exists once the feature has started). */
  gateway: () => SshGatewayInfo;
}): ApiRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/ssh',
      tag: TAG,
      summary: "The SSH gateway's address and host key (its fingerprint and known_hosts line)",
      response: SshGatewayInfo,
      handler: (c) => {
        requireUser(c);
        return gateway();
      },
    }),
    defineRoute({
      method: 'get',
      path: '/ssh-keys',
      tag: TAG,
      summary: "The caller's SSH public keys",
      response: z.array(SshKeySummary),
      handler: (c) => keys.list(requireUser(c).id),
    }),
    defineRoute({
      method: 'post',
      path: '/ssh-keys',
      tag: TAG,
      summary: 'Add an SSH public key (ed25519, ECDSA, or RSA of at least 3072 bits)',
      body: SshKeyAddBody,
      response: SshKeySummary,
      status: 201,
      handler: (c, body) => keys.add(requireUser(c).id, body),
    }),
    defineRoute({
      method: 'delete',
      path: '/ssh-keys/:keyId',
      tag: TAG,
      summary: 'Delete an SSH key; SSH sessions that logged in with it close',
      handler: (c) => keys.remove(requireUser(c).id, c.req.param('keyId') as string),
    }),
    defineRoute({
      method: 'get',
      path: '/studios/:id/ssh',
      tag: TAG,
      summary: 'How to connect to the Studio over SSH: a ~/.ssh/config block and VS Code / Cursor links',
      response: SshConnectInfo,
      handler: (c) => {
        const { studio, user } = requireStudioRole(c, c.req.param('id') as string, 'editor');
        const info = connectInfo(gateway(), studio);
        try {
          assertMayRunProcesses(driver, user);
          return info;
        } catch (error) {
          if (!isStudiosError(error)) throw error;
          return { ...info, unavailable: error.message };
        }
      },
    }),
    defineRoute({
      method: 'get',
      path: '/studios/:id/ssh/sessions',
      tag: TAG,
      summary: 'Who is connected to the Studio over SSH',
      response: SshSessionList,
      handler: (c) => {
        const { studio } = requireStudioRole(c, c.req.param('id') as string, 'viewer');
        return { sessions: sessions.list(studio.id) };
      },
    }),
  ];
}
