import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CliError } from './cli-error';

/** The keys `ssh` itself tries first, in its order: what `studios key add` picks without a path. */
export const DEFAULT_PUBLIC_KEYS = ['id_ed25519.pub', 'id_ecdsa.pub', 'id_rsa.pub'] as const;

/** The first of {@link DEFAULT_PUBLIC_KEYS} in `~/.ssh`, or `undefined`. */
export function findDefaultPublicKey(home: string, exists: (path: string) => boolean = existsSync) {
  return DEFAULT_PUBLIC_KEYS.map((name) => join(home, '.ssh', name)).find(exists);
}

/** The private key beside a public key file (`id_ed25519.pub` → `id_ed25519`). */
export function privateKeyPathFor(publicKeyPath: string): string {
  return publicKeyPath.replace(/\.pub$/, '');
}

/** One OpenSSH public-key line, split. */
export interface PublicKey {
  algorithm: string;
  /** The key blob, base64. */
  blob: string;
  comment: string;
  /** The line as sent to the server: `<algorithm> <blob> <comment>`. */
  line: string;
}

/**
 * The public key in the text of a `.pub` file. Refuses a private key outright: sending one to a
 * server is the mistake this guards against, so the message says which file to pass instead.
 */
export function parsePublicKey(text: string, source: string): PublicKey {
  if (/PRIVATE KEY-----/.test(text)) {
    throw new CliError(`${source} is a private key: pass the public key beside it (${source}.pub)`);
  }
  const line = text
    .split(/\r?\n/)
    .map((entry) => entry.trim())
    .find((entry) => entry !== '' && !entry.startsWith('#'));
  const [algorithm = '', blob = '', ...comment] = line?.split(/\s+/) ?? [];
  if (!/^(ssh|ecdsa|sk)-[a-z0-9@.-]+$/.test(algorithm) || !/^[A-Za-z0-9+/]+={0,2}$/.test(blob)) {
    throw new CliError(
      `${source} is not an OpenSSH public key (ssh-ed25519 AAAA…): make one with ssh-keygen -t ed25519`,
    );
  }
  const commentText = comment.join(' ');
  return { algorithm, blob, comment: commentText, line: [algorithm, blob, commentText].join(' ').trim() };
}

/** OpenSSH's fingerprint: `SHA256:` and the unpadded base64 of the blob's SHA-256. */
export function keyFingerprint(key: Pick<PublicKey, 'blob'>): string {
  const digest = createHash('sha256').update(Buffer.from(key.blob, 'base64')).digest('base64');
  return `SHA256:${digest.replace(/=+$/, '')}`;
}

/** The name a key is registered under when none is given: its comment, else this machine's name. */
export function defaultKeyName(key: Pick<PublicKey, 'comment'>, hostname: string): string {
  return (key.comment.trim() || hostname.trim() || 'ssh key').slice(0, 80);
}
