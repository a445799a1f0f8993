import type { SshKeyAlgorithm } from '@studios/protocol';

/** A validated OpenSSH public key. */
export interface ParsedPublicKey {
  algorithm: SshKeyAlgorithm;
  /** The key blob in SSH wire format. */
  blob: Buffer;
  bits: number;
  comment: string;
  /** `SHA256:` + unpadded base64 of SHA-256(blob), as `ssh-keygen -lf` prints it. */
  fingerprint: string;
}

/**
 * Parses one OpenSSH public-key line. Throws StudiosError `ssh_key_invalid` with a message
 * naming what is wrong (not a public key, a private key pasted by mistake, an unsupported type,
 * RSA under 3072 bits).
 */
export function parsePublicKey(_line: string): ParsedPublicKey {
  throw new Error('not implemented yet');
}

/** `SHA256:…` of a key blob. */
export function fingerprintOf(_blob: Buffer): string {
  throw new Error('not implemented yet');
}
