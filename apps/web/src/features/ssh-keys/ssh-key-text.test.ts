import { ErrorCode } from '@studios/protocol';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../api/api-error';
import {
  checkPublicKeyText,
  describeSshKeyError,
  keyNameFromPublicKey,
  keyTypeLabel,
  SSH_KEY_NAME_MAX,
} from './ssh-key-text';

const ED25519 = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGv0vZ8nq3pQbO7s1mXcQx2b3Jj2f6YQ0x6r8H3gk0aF';

describe('keyNameFromPublicKey', () => {
  it('uses the comment, spaces and all', () => {
    expect(keyNameFromPublicKey(`${ED25519} ada@laptop`)).toBe('ada@laptop');
    expect(keyNameFromPublicKey(`  ${ED25519}   work   laptop \n`)).toBe('work laptop');
  });

  it('is empty for a key without a comment or text that is not a key', () => {
    expect(keyNameFromPublicKey(ED25519)).toBe('');
    expect(keyNameFromPublicKey('hello world')).toBe('');
    expect(keyNameFromPublicKey('')).toBe('');
  });

  it('skips authorized_keys options and keeps within the name limit', () => {
    expect(keyNameFromPublicKey(`no-pty,no-port-forwarding ${ED25519} ci`)).toBe('ci');
    expect(keyNameFromPublicKey(`ecdsa-sha2-nistp256 AAAA ${'x'.repeat(200)}`)).toHaveLength(
      SSH_KEY_NAME_MAX,
    );
  });
});

describe('checkPublicKeyText', () => {
  it('lets anything that may be a key through to the server', () => {
    expect(checkPublicKeyText(`${ED25519} ada@laptop\n`)).toBeNull();
    expect(checkPublicKeyText('not a key at all')).toBeNull();
  });

  it('says what to do with an empty field, a private key, or several keys', () => {
    expect(checkPublicKeyText('  ')).toMatch(/cat ~\/\.ssh\/id_ed25519\.pub/);
    expect(
      checkPublicKeyText('-----BEGIN OPENSSH PRIVATE KEY-----\nb3Blbn\n-----END OPENSSH PRIVATE KEY-----'),
    ).toMatch(/^That is a private key/);
    expect(checkPublicKeyText(`${ED25519} a\n${ED25519} b`)).toMatch(/one key at a time/);
  });
});

describe('keyTypeLabel', () => {
  it('names the type and size', () => {
    expect(keyTypeLabel('ssh-ed25519', 256)).toBe('ED25519 · 256 bits');
    expect(keyTypeLabel('ecdsa-sha2-nistp384', 384)).toBe('ECDSA · 384 bits');
    expect(keyTypeLabel('ssh-rsa', 4096)).toBe('RSA · 4096 bits');
  });
});

describe('describeSshKeyError', () => {
  it("keeps the server's reason for an invalid key and adds what to do", () => {
    const error = new ApiError(400, ErrorCode.SshKeyInvalid, 'RSA keys must have at least 3072 bits');
    expect(describeSshKeyError(error)).toBe(
      'RSA keys must have at least 3072 bits. Paste the single line of your .pub file (cat ~/.ssh/id_ed25519.pub), or make a new key with ssh-keygen -t ed25519.',
    );
  });

  it('explains a key that is already registered', () => {
    const error = new ApiError(409, ErrorCode.SshKeyTaken, 'taken');
    expect(describeSshKeyError(error)).toMatch(/^This key is already registered.*ssh-keygen -t ed25519\.$/);
  });

  it('falls back to the general wording', () => {
    expect(describeSshKeyError(new ApiError(0, 'network', 'Cannot reach the Studios server.'))).toBe(
      'Cannot reach the Studios server.',
    );
  });
});
