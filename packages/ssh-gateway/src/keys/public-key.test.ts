import { readFileSync } from 'node:fs';
import { isStudiosError } from '@studios/protocol';
import { tempDir } from '@studios/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { keygenFingerprint, makeClientKey } from '../testing/openssh-client';
import { fingerprintOf, parsePublicKey } from './public-key';

function refusal(line: string): string {
  try {
    parsePublicKey(line);
  } catch (error) {
    expect(isStudiosError(error, 'ssh_key_invalid'), String(error)).toBe(true);
    return (error as Error).message;
  }
  throw new Error('the key was accepted');
}

describe('parsePublicKey', () => {
  const temp = tempDir('studios-ssh-pub-');
  afterAll(() => temp.cleanup());

  it('reads every accepted type with the fingerprint and bits ssh-keygen reports', async () => {
    const types = [
      ['ed25519', undefined, 'ssh-ed25519', 256],
      ['ecdsa', 256, 'ecdsa-sha2-nistp256', 256],
      ['ecdsa', 384, 'ecdsa-sha2-nistp384', 384],
      ['ecdsa', 521, 'ecdsa-sha2-nistp521', 521],
      ['rsa', 3072, 'ssh-rsa', 3072],
      ['rsa', 4096, 'ssh-rsa', 4096],
    ] as const;
    for (const [type, bits, algorithm, expectedBits] of types) {
      const key = await makeClientKey(temp.dir, type, bits);
      const parsed = parsePublicKey(`  ${key.publicLine}\n`);
      expect(parsed, algorithm).toMatchObject({ algorithm, bits: expectedBits, comment: `test-${type}` });
      expect(parsed.blob.equals(key.blob)).toBe(true);
      expect(parsed.fingerprint).toBe(await keygenFingerprint(`${key.path}.pub`));
      expect(fingerprintOf(key.blob)).toBe(parsed.fingerprint);
    }
  });

  it('keeps a comment with spaces and accepts a line without one', async () => {
    const key = await makeClientKey(temp.dir, 'ed25519');
    const [type, data] = key.publicLine.split(' ');
    expect(parsePublicKey(`${type} ${data} my laptop key`).comment).toBe('my laptop key');
    expect(parsePublicKey(`${type} ${data}`).comment).toBe('');
  });

  it('refuses RSA under 3072 bits, naming the size', async () => {
    const key = await makeClientKey(temp.dir, 'rsa', 2048);
    expect(refusal(key.publicLine)).toContain('RSA keys must have at least 3072 bits; this one has 2048');
  });

  it('refuses a private key pasted by mistake', async () => {
    const key = await makeClientKey(temp.dir, 'ed25519');
    expect(refusal(readFileSync(key.path, 'utf8'))).toMatch(/private key.*public key/);
  });

  it('refuses DSA, security keys, certificates, garbage and several lines', async () => {
    const ed = await makeClientKey(temp.dir, 'ed25519');
    const data = ed.publicLine.split(' ')[1];
    expect(refusal(`ssh-dss ${data} old`)).toContain('DSA keys (ssh-dss) are not supported');
    expect(refusal(`sk-ssh-ed25519@openssh.com ${data}`)).toContain('not supported');
    expect(refusal(`sk-ecdsa-sha2-nistp256@openssh.com ${data}`)).toContain('Security-key');
    expect(refusal(`ssh-ed25519-cert-v01@openssh.com ${data}`)).toContain('certificates');
    expect(refusal('hello world')).toContain('Not an OpenSSH public key');
    expect(refusal('')).toContain('empty');
    expect(refusal('ssh-ed25519 !!!notbase64')).toContain('base64');
    expect(refusal(`ssh-ed25519 ${data?.slice(0, 30)}`)).toMatch(/base64|damaged/);
    expect(refusal(`ecdsa-sha2-nistp256 ${data}`)).toContain('does not match its type');
    expect(refusal(`${ed.publicLine}\n${ed.publicLine}`)).toContain(
      'exactly one public key line; this text has 2 lines',
    );
  });
});
