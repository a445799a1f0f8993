import { execFileSync } from 'node:child_process';
import type { SshConnectInfo, SshGatewayInfo, SshKeySummary, Studio, StudioEvent } from '@studios/protocol';
import { tempDir, waitFor } from '@studios/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Account,
  callAs,
  createStudio,
  type ListeningTestServer,
  openStudioEvents,
  signUp,
  startTestServer,
} from '../../testing';
import { addKey, finish, makeKey, SshClient, type TestKey } from '../../testing/ssh-client';
import { standardFeatures } from '../standard-features';

const SSH_ON = { port: 0, host: '127.0.0.1', publicHost: undefined, publicPort: undefined };
const fingerprintOf = (key: TestKey) =>
  execFileSync('ssh-keygen', ['-lf', `${key.privatePath}.pub`])
    .toString()
    .split(' ')[1];

// Issue #11 on the local runtime (fast, no Docker): the keys API, the connect info, roles, the
// host key across a restart, presence and key deletion. Docker Studios: ssh.docker.integration.test.ts.
describe('SSH gateway (local runtime)', { timeout: 60_000 }, () => {
  const data = tempDir('studios-ssh-data-');
  let t: ListeningTestServer;
  let ada: Account; // instance admin and owner
  let bob: Account; // editor (not admin: the local runtime refuses him processes)
  let cleo: Account; // viewer
  let dan: Account; // stranger
  let studio: Studio;
  const keys: TestKey[] = [];
  const key = (type?: 'ed25519' | 'ecdsa' | 'rsa', bits?: number) => {
    const made = makeKey(type, bits);
    keys.push(made);
    return made;
  };

  const start = () =>
    startTestServer({ dataDir: data.dir, config: { ssh: SSH_ON }, features: standardFeatures() });

  beforeAll(async () => {
    t = await start();
    [ada, bob, cleo, dan] = [await signUp(t), await signUp(t), await signUp(t), await signUp(t)];
    studio = await createStudio(t, ada, {
      name: 'Remote Work',
      members: [
        [bob, 'editor'],
        [cleo, 'viewer'],
      ],
    });
  });

  afterAll(async () => {
    await t?.close();
    for (const made of keys) made.dispose();
    data.cleanup();
  });

  describe('keys', () => {
    it('accepts ed25519, ECDSA and RSA-3072 keys with the fingerprints ssh-keygen prints', async () => {
      for (const [type, bits] of [
        ['ed25519', undefined],
        ['ecdsa', 384],
        ['rsa', 3072],
      ] as const) {
        const made = key(type, bits);
        const added = await addKey(t, dan, made, `${type} key`);
        expect(added).toMatchObject({ name: `${type} key`, comment: `test-${type}`, lastUsedAt: null });
        expect(added.fingerprint).toBe(fingerprintOf(made));
      }
      const listed = (await (await callAs(t, dan, 'GET', '/api/ssh-keys')).json()) as SshKeySummary[];
      expect(listed.map((entry) => entry.algorithm).sort()).toEqual([
        'ecdsa-sha2-nistp384',
        'ssh-ed25519',
        'ssh-rsa',
      ]);
      expect(listed.find((entry) => entry.algorithm === 'ssh-rsa')?.bits).toBe(3072);
      // Nobody else sees them.
      expect(await (await callAs(t, cleo, 'GET', '/api/ssh-keys')).json()).toEqual([]);
    });

    it('refuses weak, malformed and private keys with a clear error, and adds nothing', async () => {
      const weak = key('rsa', 2048);
      const refused = async (publicKey: string) => {
        const response = await callAs(t, cleo, 'POST', '/api/ssh-keys', { name: 'x', publicKey });
        expect(response.status).toBe(400);
        return (await response.json()) as { code: string; message: string };
      };
      expect(await refused(weak.publicLine)).toMatchObject({ code: 'ssh_key_invalid', message: /3072/ });
      expect((await refused('ssh-ed25519 not-base64!!')).code).toBe('ssh_key_invalid');
      const privateText = execFileSync('cat', [weak.privatePath]).toString();
      expect((await refused(privateText)).message).toMatch(/private/i);
      expect(await (await callAs(t, cleo, 'GET', '/api/ssh-keys')).json()).toEqual([]);
    });

    it('lets a key name one person only, and a user delete only their own keys', async () => {
      const made = key();
      const added = await addKey(t, cleo, made);
      const again = await callAs(t, cleo, 'POST', '/api/ssh-keys', {
        name: 'again',
        publicKey: made.publicLine,
      });
      expect(again.status).toBe(409);
      const stolen = await callAs(t, dan, 'POST', '/api/ssh-keys', {
        name: 'mine',
        publicKey: made.publicLine,
      });
      expect(stolen.status).toBe(409);
      expect(((await stolen.json()) as { code: string }).code).toBe('ssh_key_taken');
      expect((await callAs(t, dan, 'DELETE', `/api/ssh-keys/${added.id}`)).status).toBe(404);
      expect((await callAs(t, cleo, 'DELETE', `/api/ssh-keys/${added.id}`)).status).toBe(204);
      expect(await (await callAs(t, cleo, 'GET', '/api/ssh-keys')).json()).toEqual([]);
    });
  });

  it('tells editors how to connect, with the host key pinned; viewers and strangers get nothing', async () => {
    const gateway = (await (await callAs(t, bob, 'GET', '/api/ssh')).json()) as SshGatewayInfo;
    expect(gateway).toMatchObject({
      enabled: true,
      host: '127.0.0.1',
      hostKey: { algorithm: 'ssh-ed25519' },
    });
    expect(gateway.port).toBeGreaterThan(0);
    expect(gateway.knownHostsLine).toBe(`${gateway.hostKeyAlias} ${gateway.hostKey.publicKey}`);
    const info = (await (
      await callAs(t, bob, 'GET', `/api/studios/${studio.id}/ssh`)
    ).json()) as SshConnectInfo;
    expect(info.user).toBe(studio.id);
    expect(info.sshConfig).toContain(`Host ${info.hostAlias}\n`);
    expect(info.sshConfig).toContain(`  Port ${gateway.port}\n`);
    expect(info.sshConfig).toContain(`  User ${studio.id}\n`);
    expect(info.sshConfig).toContain(`  HostKeyAlias ${gateway.hostKeyAlias}\n`);
    expect(info.sshConfig).toContain('  StrictHostKeyChecking yes\n');
    expect(info.vscodeUri).toBe(`vscode://vscode-remote/ssh-remote+${info.hostAlias}/workspace`);
    expect(info.cursorUri).toBe(`cursor://vscode-remote/ssh-remote+${info.hostAlias}/workspace`);
    expect((await callAs(t, cleo, 'GET', `/api/studios/${studio.id}/ssh`)).status).toBe(403);
    expect((await callAs(t, dan, 'GET', `/api/studios/${studio.id}/ssh`)).status).toBe(404);
  });

  it('runs commands for the admin, by Studio id or name, with exit codes, stdin and stderr', async () => {
    const ssh = await SshClient.for(t, ada, key());
    try {
      await addKey(t, ada, ssh.key);
      const result = await ssh.run(studio.id, ['cat; echo oops >&2; pwd; exit 3'], { input: 'from stdin\n' });
      expect(result.stderr).toContain('oops');
      expect(result.stdout.toString()).toMatch(/^from stdin\n.*\n$/);
      expect(result.code).toBe(3);
      const byName = await ssh.run('remote-work', ['echo by name']);
      expect(byName).toMatchObject({ code: 0, stdout: Buffer.from('by name\n') });
    } finally {
      ssh.dispose();
    }
  });

  it('wakes the Studio, and reports SSH traffic as activity for idle sleep', async () => {
    const made = key();
    await addKey(t, ada, made);
    const ssh = await SshClient.for(t, ada, made);
    // What idle sleep hears (the runtime feature's sink listens to the same hub).
    const touches: string[] = [];
    const sink = t.server.services.activity.subscribe({
      touch: (studioId, source) => touches.push(`${studioId}:${source}`),
      setBusy: () => {},
    });
    try {
      const result = await ssh.run(studio.id, ['echo busy']);
      expect(result).toMatchObject({ code: 0, stdout: Buffer.from('busy\n') });
      const current = (await (await callAs(t, ada, 'GET', `/api/studios/${studio.id}`)).json()) as Studio;
      expect(current.runtime.state).toBe('running');
      expect(touches).toContain(`${studio.id}:ssh`);
    } finally {
      sink.dispose();
      ssh.dispose();
    }
  });

  it('refuses the local runtime to everyone but its admin, and unknown Studios, alike', async () => {
    const bobKey = key();
    await addKey(t, bob, bobKey);
    const ssh = await SshClient.for(t, bob, bobKey);
    try {
      for (const user of [studio.id, 'no-such-studio', 'root']) {
        const result = await ssh.run(user, ['true']);
        expect(result.code).toBe(255);
        expect(result.stderr).toContain('Permission denied (publickey)');
      }
      // Password and keyboard-interactive are never offered.
      const password = await ssh.run(studio.id, ['true'], {
        extra: ['PreferredAuthentications=password,keyboard-interactive'],
      });
      expect(password.code).toBe(255);
      expect(password.stderr).toMatch(/Permission denied|No more authentication methods/);
    } finally {
      ssh.dispose();
    }
  });

  it('shows who is connected, and closes their sessions within 2 s of their key being deleted', async () => {
    const made = key();
    const summary = await addKey(t, ada, made);
    const ssh = await SshClient.for(t, ada, made);
    const events = await openStudioEvents(t, bob, studio.id);
    try {
      const child = ssh.spawn(studio.id, ['echo connected; exec sleep 600']);
      const ended = finish(child);
      let output = '';
      child.stdout?.on('data', (chunk: Buffer) => {
        output += chunk.toString();
      });
      await waitFor(() => output.includes('connected'), { timeoutMs: 20_000 });
      const sessions = async () =>
        (
          (await (await callAs(t, bob, 'GET', `/api/studios/${studio.id}/ssh/sessions`)).json()) as {
            sessions: Array<{ userId: string; client: string; channels: { exec: number } }>;
          }
        ).sessions;
      await waitFor(async () => {
        const [only] = await sessions();
        expect(only).toMatchObject({ userId: ada.user.id, channels: { exec: 1 } });
        expect(only?.client).toMatch(/^OpenSSH_/);
        return true;
      });
      await waitFor(() =>
        (events.messages as StudioEvent[]).some(
          (event) => event.type === 'ssh-sessions' && event.sessions.some((s) => s.userId === ada.user.id),
        ),
      );
      expect((await callAs(t, ada, 'DELETE', `/api/ssh-keys/${summary.id}`)).status).toBe(204);
      let closed = false;
      void ended.then(() => {
        closed = true;
      });
      await waitFor(() => closed, { timeoutMs: 2_000 });
      await waitFor(async () => (await sessions()).length === 0);
      // The key is gone for good.
      expect((await ssh.run(studio.id, ['true'])).code).toBe(255);
    } finally {
      events.ws.close();
      ssh.dispose();
    }
  });

  it('keeps its host key across a restart: a pinned client connects again', async () => {
    const made = key();
    await addKey(t, ada, made);
    const before = await SshClient.for(t, ada, made);
    try {
      expect((await before.run(studio.id, ['true'])).code).toBe(0);
      await t.close();
      t = await start();
      const after = (await (await callAs(t, ada, 'GET', '/api/ssh')).json()) as SshGatewayInfo;
      expect(after.hostKey).toEqual(before.gateway.hostKey);
      // The line a user pinned before the restart is the line of the restarted gateway.
      expect(after.knownHostsLine).toBe(before.gateway.knownHostsLine);
      const again = new SshClient(after, made);
      try {
        expect(again.gateway.port).not.toBe(0);
        const result = await again.run(studio.id, ['echo again']);
        expect(result).toMatchObject({ code: 0, stdout: Buffer.from('again\n') });
      } finally {
        again.dispose();
      }
    } finally {
      before.dispose();
    }
  });
});
