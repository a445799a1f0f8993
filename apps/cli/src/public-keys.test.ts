import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '@studios/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import {
  defaultKeyName,
  findDefaultPublicKey,
  keyFingerprint,
  parsePublicKey,
  privateKeyPathFor,
} from './public-keys';

describe('public keys', () => {
  const temp = tempDir('studios-cli-keys-');
  afterAll(() => temp.cleanup());

  it('parses a real ssh-keygen key and fingerprints it as ssh-keygen does', () => {
    const path = join(temp.dir, 'id_ed25519');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'ada@laptop', '-f', path]);
    const key = parsePublicKey(readFileSync(`${path}.pub`, 'utf8'), `${path}.pub`);
    expect(key).toMatchObject({ algorithm: 'ssh-ed25519', comment: 'ada@laptop' });
    expect(key.line).toBe(readFileSync(`${path}.pub`, 'utf8').trim());
    const printed = execFileSync('ssh-keygen', ['-lf', `${path}.pub`])
      .toString()
      .split(' ')[1];
    expect(keyFingerprint(key)).toBe(printed);
  });

  it('refuses a private key, naming the public one to pass instead', () => {
    const path = join(temp.dir, 'id_ed25519');
    expect(() => parsePublicKey(readFileSync(path, 'utf8'), path)).toThrow(
      `${path} is a private key: pass the public key beside it (${path}.pub)`,
    );
  });

  it('refuses text that is no public key', () => {
    expect(() => parsePublicKey('hello world', 'x')).toThrow(/not an OpenSSH public key/);
    expect(() => parsePublicKey('', 'x')).toThrow(/not an OpenSSH public key/);
  });

  it('names a key by its comment, else the machine', () => {
    expect(defaultKeyName({ comment: 'ada@laptop' }, 'host')).toBe('ada@laptop');
    expect(defaultKeyName({ comment: '' }, 'host')).toBe('host');
    expect(defaultKeyName({ comment: 'x'.repeat(100) }, 'host')).toHaveLength(80);
  });

  it('picks ed25519, then ECDSA, then RSA, as ssh does', () => {
    const home = tempDir('studios-cli-home-');
    try {
      expect(findDefaultPublicKey(home.dir)).toBeUndefined();
      mkdirSync(join(home.dir, '.ssh'));
      writeFileSync(join(home.dir, '.ssh', 'id_rsa.pub'), '');
      expect(findDefaultPublicKey(home.dir)).toBe(join(home.dir, '.ssh', 'id_rsa.pub'));
      writeFileSync(join(home.dir, '.ssh', 'id_ecdsa.pub'), '');
      expect(findDefaultPublicKey(home.dir)).toBe(join(home.dir, '.ssh', 'id_ecdsa.pub'));
      writeFileSync(join(home.dir, '.ssh', 'id_ed25519.pub'), '');
      expect(findDefaultPublicKey(home.dir)).toBe(join(home.dir, '.ssh', 'id_ed25519.pub'));
      expect(privateKeyPathFor(join(home.dir, '.ssh', 'id_ed25519.pub'))).toBe(
        join(home.dir, '.ssh', 'id_ed25519'),
      );
    } finally {
      home.cleanup();
    }
  });
});
