import type { SshKeyAlgorithm } from '@studios/protocol';
import { ErrorCode } from '@studios/protocol';
import { ApiError, describeError } from '../../api/api-error';

/** Same limit as `SshKeyAddBody.name` in the protocol. */
export const SSH_KEY_NAME_MAX = 80;

/** The command that prints a default ed25519 public key, for hints. */
export const SHOW_KEY_COMMAND = 'cat ~/.ssh/id_ed25519.pub';
/** The command that makes a key pair, for people who have none. */
export const NEW_KEY_COMMAND = 'ssh-keygen -t ed25519';

// OpenSSH key types all start like this (`ssh-ed25519`, `ecdsa-sha2-nistp256`, `sk-ssh-ed25519@…`).
const KEY_TYPE = /^(ssh-|ecdsa-sha2-|sk-)/;

/**
 * The name a pasted key suggests: its comment (`ada@laptop`), cut to the longest name allowed,
 * or '' when the line has none. Options in front of the key type (as in `authorized_keys`)
 * are skipped.
 */
export function keyNameFromPublicKey(line: string): string {
  const words = (line.trim().split(/\r?\n/)[0] ?? '').split(/\s+/);
  const typeAt = words.findIndex((word) => KEY_TYPE.test(word));
  if (typeAt < 0) return '';
  return words
    .slice(typeAt + 2)
    .join(' ')
    .slice(0, SSH_KEY_NAME_MAX)
    .trim();
}

/**
 * What is plainly wrong with pasted text before the server sees it, with what to do instead;
 * `null` when it may be a public key (the server has the last word).
 */
export function checkPublicKeyText(text: string): string | null {
  const trimmed = text.trim();
  if (!trimmed) return `Paste your public key: the one line in your .pub file (${SHOW_KEY_COMMAND}).`;
  if (/PRIVATE KEY/.test(trimmed)) {
    return `That is a private key: never share it. Paste the public key instead, from the file ending in .pub (${SHOW_KEY_COMMAND}).`;
  }
  const lines = trimmed.split(/\r?\n/).filter((line) => line.trim());
  if (lines.length > 1) return 'Paste one key at a time: a public key is a single line.';
  return null;
}

const ALGORITHM_NAMES: Record<SshKeyAlgorithm, string> = {
  'ssh-ed25519': 'ED25519',
  'ecdsa-sha2-nistp256': 'ECDSA',
  'ecdsa-sha2-nistp384': 'ECDSA',
  'ecdsa-sha2-nistp521': 'ECDSA',
  'ssh-rsa': 'RSA',
};

/** A key's type and size as `ssh-keygen -l` names them: "ED25519 · 256 bits". */
export function keyTypeLabel(algorithm: SshKeyAlgorithm, bits: number): string {
  return `${ALGORITHM_NAMES[algorithm]} · ${bits} bits`;
}

/** Ends a server sentence so another can follow it. */
function sentence(text: string): string {
  const trimmed = text.trim();
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

/** Why adding a key failed, and what to do about it. */
export function describeSshKeyError(error: unknown): string {
  if (error instanceof ApiError && error.code === ErrorCode.SshKeyInvalid) {
    return `${sentence(error.message)} Paste the single line of your .pub file (${SHOW_KEY_COMMAND}), or make a new key with ${NEW_KEY_COMMAND}.`;
  }
  if (error instanceof ApiError && error.code === ErrorCode.SshKeyTaken) {
    return `This key is already registered to a Studios account, yours or someone else's. If it is in your list it is ready to use; otherwise make a new key for this account with ${NEW_KEY_COMMAND}.`;
  }
  return describeError(error);
}
