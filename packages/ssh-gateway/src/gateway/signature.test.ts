import { randomBytes } from 'node:crypto';
import { tempDir } from '@studios/testkit';
import type { ParsedKey } from 'ssh2';
import ssh2 from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPrivateKey } from '../testing/forged-login';
import { makeClientKey } from '../testing/openssh-client';
import { verifyLoginSignature } from './signature';

describe('verifyLoginSignature', () => {
  const data = randomBytes(120);
  const temp = tempDir('studios-ssh-sig-');
  // Keys from ssh-keygen: ssh2's generator writes some ed25519 keys it cannot read back.
  let ed25519: ParsedKey;
  let ecdsa: ParsedKey;
  let rsa: ParsedKey;
  beforeAll(async () => {
    ed25519 = readPrivateKey((await makeClientKey(temp.dir, 'ed25519')).path);
    ecdsa = readPrivateKey((await makeClientKey(temp.dir, 'ecdsa', 256)).path);
    rsa = readPrivateKey((await makeClientKey(temp.dir, 'rsa', 3072)).path);
  });
  afterAll(() => temp.cleanup());

  it('accepts a genuine signature for each key type (RSA with SHA-2 only)', () => {
    for (const key of [ed25519, ecdsa]) {
      const login = {
        keyAlgorithm: key.type,
        keyBlob: key.getPublicSSH(),
        signature: key.sign(data),
        signedData: data,
        hashAlgorithm: undefined,
      };
      expect(verifyLoginSignature(login), key.type).toBe(true);
    }
    for (const hash of ['sha256', 'sha512']) {
      const login = {
        keyAlgorithm: 'ssh-rsa',
        keyBlob: rsa.getPublicSSH(),
        signature: rsa.sign(data, hash),
        signedData: data,
        hashAlgorithm: hash,
      };
      expect(verifyLoginSignature(login), hash).toBe(true);
    }
  });

  it('refuses a SHA-1 ssh-rsa signature even when it is genuine', () => {
    const login = {
      keyAlgorithm: 'ssh-rsa',
      keyBlob: rsa.getPublicSSH(),
      signature: rsa.sign(data, 'sha1'),
      signedData: data,
      hashAlgorithm: undefined,
    };
    expect(verifyLoginSignature(login)).toBe(false);
  });

  it("refuses a victim's key with another algorithm, where ssh2's verify() returns a truthy Error", () => {
    const forged = {
      keyAlgorithm: 'ssh-rsa',
      keyBlob: ed25519.getPublicSSH(),
      signature: rsa.sign(data, 'sha256'),
      signedData: data,
      hashAlgorithm: 'sha256',
    };
    // The hazard itself: an ed25519 key asked to verify with sha256 returns an Error object.
    const victim = ssh2.utils.parseKey(forged.keyBlob) as ParsedKey;
    const raw: unknown = victim.verify(forged.signedData, forged.signature, 'sha256');
    expect(raw).toBeInstanceOf(Error);
    expect(Boolean(raw)).toBe(true);
    expect(verifyLoginSignature(forged)).toBe(false);
    expect(verifyLoginSignature({ ...forged, keyAlgorithm: 'ssh-ed25519' })).toBe(false);
  });

  it('refuses garbage signatures, a hash on a non-RSA key, and an unreadable blob', () => {
    for (const key of [ed25519, ecdsa, rsa]) {
      const login = {
        keyAlgorithm: key.type,
        keyBlob: key.getPublicSSH(),
        signature: randomBytes(64),
        signedData: data,
        hashAlgorithm: key.type === 'ssh-rsa' ? 'sha256' : undefined,
      };
      expect(verifyLoginSignature(login), key.type).toBe(false);
    }
    const genuine = {
      keyAlgorithm: ed25519.type,
      keyBlob: ed25519.getPublicSSH(),
      signature: ed25519.sign(data),
      signedData: data,
      hashAlgorithm: 'sha512',
    };
    expect(verifyLoginSignature(genuine)).toBe(false);
    expect(verifyLoginSignature({ ...genuine, hashAlgorithm: undefined, keyBlob: randomBytes(51) })).toBe(
      false,
    );
    expect(verifyLoginSignature({ ...genuine, hashAlgorithm: undefined, signedData: randomBytes(120) })).toBe(
      false,
    );
  });
});
