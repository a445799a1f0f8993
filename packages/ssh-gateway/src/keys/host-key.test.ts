import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '@studios/testkit';
import ssh2 from 'ssh2';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runProcess } from '../testing/openssh-client';
import { loadOrCreateHostKey } from './host-key';

describe('loadOrCreateHostKey', () => {
  let temp: ReturnType<typeof tempDir>;
  let path: string;

  beforeEach(() => {
    temp = tempDir('studios-ssh-hostkey-');
    path = join(temp.dir, 'state', 'ssh', 'ssh_host_ed25519_key');
  });
  afterEach(() => temp.cleanup());

  it('generates an ed25519 key once (0600 in a 0700 folder) and reuses it', async () => {
    const first = await loadOrCreateHostKey(path);
    expect(first.algorithm).toBe('ssh-ed25519');
    expect(first.publicKey).toMatch(/^ssh-ed25519 AAAA[A-Za-z0-9+/=]+$/);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(join(temp.dir, 'state', 'ssh')).mode & 0o777).toBe(0o700);
    const second = await loadOrCreateHostKey(path);
    expect(second).toEqual(first);
    // ssh-keygen reads the stored file and agrees on the public key and fingerprint.
    const derived = await runProcess('ssh-keygen', ['-y', '-f', path], '');
    expect(derived.stdout.trim().split(' ').slice(0, 2).join(' ')).toBe(first.publicKey);
    writeFileSync(`${path}.pub`, `${first.publicKey}\n`);
    const listed = await runProcess('ssh-keygen', ['-lf', `${path}.pub`], '');
    expect(listed.stdout.split(' ')[1]).toBe(first.fingerprint);
  });

  it('keeps one key when two servers start at once', async () => {
    const keys = await Promise.all([loadOrCreateHostKey(path), loadOrCreateHostKey(path)]);
    expect(keys[0]).toEqual(keys[1]);
    expect(ssh2.utils.parseKey(readFileSync(path))).not.toBeInstanceOf(Error);
  });

  it('refuses a key file other users can read, like sshd', async () => {
    await loadOrCreateHostKey(path);
    chmodSync(path, 0o644);
    await expect(loadOrCreateHostKey(path)).rejects.toThrow(
      /readable by other users \(mode 0644\).*chmod 600/,
    );
  });

  it('refuses a file that is not a private key', async () => {
    await loadOrCreateHostKey(path);
    writeFileSync(path, 'not a key', { mode: 0o600 });
    await expect(loadOrCreateHostKey(path)).rejects.toThrow(/not a readable private key/);
  });
});
