import { generateKeyPairSync } from 'node:crypto';

/** `uint32 length ‖ bytes`, SSH's wire encoding of a string. */
function sshString(bytes: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return Buffer.concat([length, bytes]);
}

/**
 * A fresh ed25519 public key as an OpenSSH line, made in-process (no ssh-keygen): for request
 * samples that must carry a valid key nobody has registered yet.
 */
export function freshPublicKeyLine(comment = 'probe'): string {
  const { publicKey } = generateKeyPairSync('ed25519');
  const raw = Buffer.from(publicKey.export({ format: 'jwk' }).x as string, 'base64url');
  const blob = Buffer.concat([sshString(Buffer.from('ssh-ed25519')), sshString(raw)]);
  return `ssh-ed25519 ${blob.toString('base64')} ${comment}`;
}
