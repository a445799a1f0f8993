import { realpathSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock } from '@studios/base';
import { tempDirs } from '@studios/testkit';
import { SshGateway } from '../gateway/ssh-gateway';
import { type HostKey, loadOrCreateHostKey } from '../keys/host-key';
import { LocalTestBackend } from './local-test-backend';
import { type ClientKey, makeClientKey, OpenSshClient } from './openssh-client';

/** A gateway on a free port over the local runtime, with an allowed ed25519 key and its client. */
export interface GatewayFixture {
  gateway: SshGateway;
  backend: LocalTestBackend;
  hostKey: HostKey;
  port: number;
  key: ClientKey;
  client: OpenSshClient;
  workspace: string;
  /** A scratch folder on the client's side. */
  local: string;
  /** Another folder for keys and files the test makes. */
  make(prefix?: string): string;
  dispose(): Promise<void>;
}

export async function startGateway(options: { clock?: Clock } = {}): Promise<GatewayFixture> {
  const dirs = tempDirs();
  const workspace = realpathSync(dirs.make('studios-ssh-ws-'));
  const local = dirs.make('studios-ssh-local-');
  const keys = dirs.make('studios-ssh-keys-');
  const hostKey = await loadOrCreateHostKey(
    join(dirs.make('studios-ssh-host-'), 'keys', 'ssh_host_ed25519_key'),
  );
  const backend = new LocalTestBackend(workspace);
  await backend.start();
  const key = await makeClientKey(keys, 'ed25519');
  backend.allowKey(key.blob);
  const gateway = new SshGateway({ hostKey, backend, host: '127.0.0.1', port: 0, ...options });
  const port = await gateway.listen();
  const client = new OpenSshClient(keys, hostKey, port, key);
  return {
    gateway,
    backend,
    hostKey,
    port,
    key,
    client,
    workspace,
    local,
    make: (prefix) => dirs.make(prefix),
    dispose: async () => {
      await gateway.close();
      await backend.dispose();
      dirs.cleanup();
    },
  };
}
