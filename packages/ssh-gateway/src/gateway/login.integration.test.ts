import { removeIsolatedHomes, waitFor } from '@studios/testkit';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { forgedKey, readPrivateKey, tryKeyLogin } from '../testing/forged-login';
import { type GatewayFixture, startGateway } from '../testing/gateway-fixture';
import { makeClientKey, OpenSshClient, runProcess } from '../testing/openssh-client';

describe('SshGateway logins', () => {
  let fx: GatewayFixture;

  beforeEach(async () => {
    fx = await startGateway();
  });
  afterEach(async () => {
    await fx.dispose();
  });
  afterAll(() => removeIsolatedHomes());

  it('lets in registered ECDSA and RSA-3072 keys with the OpenSSH client', async () => {
    const dir = fx.make('studios-ssh-more-keys-');
    for (const [type, bits] of [
      ['ecdsa', 384],
      ['rsa', 3072],
    ] as const) {
      const key = await makeClientKey(dir, type, bits);
      fx.backend.allowKey(key.blob);
      const result = await new OpenSshClient(dir, fx.hostKey, fx.port, key).ssh(['echo in']);
      expect(result, type).toMatchObject({ code: 0, stdout: 'in\n' });
    }
  });

  it('refuses an unknown key, a wrong user name and passwords', async () => {
    const dir = fx.make('studios-ssh-stranger-');
    const stranger = new OpenSshClient(dir, fx.hostKey, fx.port, await makeClientKey(dir, 'ed25519'));
    const unknown = await stranger.ssh(['echo in']);
    expect(unknown.code).toBe(255);
    expect(unknown.stderr).toContain('Permission denied (publickey)');

    const otherUser = new OpenSshClient(dir, fx.hostKey, fx.port, fx.key, 'another-studio');
    expect((await otherUser.ssh(['echo in'])).code).toBe(255);

    const password = await runProcess(
      'ssh',
      [
        ...fx.client.options(['-o', 'PreferredAuthentications=password,keyboard-interactive']),
        '-p',
        String(fx.port),
        'ssh-test@127.0.0.1',
        'echo in',
      ],
      '',
    );
    expect(password.code).toBe(255);
    expect(password.stderr).toContain('Permission denied (publickey)');
    expect(fx.backend.record.connections).toHaveLength(0);
  });

  it('drops a connection the backend does not allow before any login', async () => {
    fx.backend.allowAttempts = false;
    const result = await fx.client.ssh(['echo in']);
    expect(result.code).toBe(255);
    expect(fx.backend.record.attempts).toEqual(['127.0.0.1']);
    expect(fx.backend.record.authorizations).toHaveLength(0);
  });

  it('ends a connection after 6 failed attempts, like MaxAuthTries', async () => {
    const dir = fx.make('studios-ssh-many-');
    const keys = [];
    for (let i = 0; i < 8; i += 1) keys.push(await makeClientKey(dir, 'ed25519'));
    const [first, ...others] = keys;
    if (!first) throw new Error('no key');
    // Eight unknown keys, then the registered one: the connection ends before it is offered.
    const identities = [first, ...others, fx.key].flatMap((key) => ['-i', key.path]);
    const client = new OpenSshClient(dir, fx.hostKey, fx.port, first);
    const result = await runProcess(
      'ssh',
      [...client.options(identities), '-p', String(fx.port), 'ssh-test@127.0.0.1', 'echo in'],
      '',
    );
    expect(result.code).toBe(255);
    expect(result.stdout).toBe('');
    expect(fx.backend.record.authorizations).toHaveLength(6);
    expect(fx.backend.record.connections).toHaveLength(0);
  });

  describe('forged signatures over a victim public key are refused', () => {
    const cases = [
      { victim: 'ed25519', bits: undefined, garbage: 64 },
      { victim: 'ecdsa', bits: 256, garbage: 72 },
      { victim: 'rsa', bits: 3072, garbage: 384 },
    ] as const;
    for (const { victim, bits, garbage } of cases) {
      it(`for ${victim}: garbage, another key's signature, and a mismatched algorithm`, async () => {
        const dir = fx.make('studios-ssh-forge-');
        const victimKey = await makeClientKey(dir, victim, bits);
        fx.backend.allowKey(victimKey.blob, 'victim');
        const attacker = {
          ed25519: readPrivateKey((await makeClientKey(dir, 'ed25519')).path),
          ecdsa: readPrivateKey((await makeClientKey(dir, 'ecdsa', 256)).path),
          rsa: readPrivateKey((await makeClientKey(dir, 'rsa', 3072)).path),
        };
        const victimType = readPrivateKey(victimKey.path).type;
        // The victim's own key logs in, so the refusals below are about the signatures alone.
        expect(await tryKeyLogin(fx.port, 'ssh-test', readPrivateKey(victimKey.path))).toBe('ready');
        const forgeries = [
          // ECDSA signatures must be DER for ssh2's client to send them: use another key's.
          victim === 'ecdsa'
            ? forgedKey(attacker.ecdsa, victimKey.blob, victimType, { signer: attacker.ecdsa })
            : forgedKey(attacker[victim], victimKey.blob, victimType, { garbage }),
          forgedKey(attacker[victim], victimKey.blob, victimType, { signer: attacker[victim] }),
          ...Object.entries(attacker)
            .filter(([type]) => type !== victim)
            .map(([, key]) => forgedKey(key, victimKey.blob, key.type, { signer: key })),
        ];
        for (const forgery of forgeries) {
          const outcome = await tryKeyLogin(fx.port, 'ssh-test', forgery);
          expect(outcome, `${forgery.type} over a ${victimType} key`).toBeInstanceOf(Error);
          expect((outcome as Error).message).toContain('authentication methods failed');
        }
        await waitFor(() => fx.backend.record.connections.length === 1, { what: 'only the real login' });
        expect(fx.backend.record.connections).toHaveLength(1);
      });
    }
  });
});
