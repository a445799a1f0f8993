import { createPublicKey } from 'node:crypto';
import { ErrorCode, SSH_RSA_MIN_BITS, SshKeyAlgorithm, StudiosError } from '@studios/protocol';
import ssh2 from 'ssh2';
import { blobKeyType, fingerprintOf } from './fingerprint';

export { fingerprintOf } from './fingerprint';

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

const ACCEPTED = SshKeyAlgorithm.options.join(', ');
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const CURVE_BITS: Record<string, number> = { prime256v1: 256, secp384r1: 384, secp521r1: 521 };

function invalid(message: string): StudiosError {
  return new StudiosError(ErrorCode.SshKeyInvalid, message);
}

/**
 * Parses one OpenSSH public-key line. Throws StudiosError `ssh_key_invalid` with a message
 * naming what is wrong (not a public key, a private key pasted by mistake, an unsupported type,
 * RSA under 3072 bits).
 */
export function parsePublicKey(line: string): ParsedPublicKey {
  const text = line.trim();
  // Checked first: a pasted private key spans many lines, and saying "several lines" would hide
  // the real mistake (and the user should know that key is now worth replacing if it was shared).
  if (/PRIVATE KEY-----/.test(text) || text.startsWith('PuTTY-User-Key-File')) {
    throw invalid(
      'This is a private key. Paste the public key instead (the .pub file); keep the private key secret.',
    );
  }
  if (text === '') throw invalid('The public key is empty.');
  const lines = text.split(/\r?\n/).filter((part) => part.trim() !== '');
  if (lines.length > 1) {
    throw invalid(`Paste exactly one public key line; this text has ${lines.length} lines.`);
  }
  const [type = '', data = '', ...rest] = text.split(/\s+/);
  refuseUnsupportedType(type);
  const parsedType = SshKeyAlgorithm.safeParse(type);
  if (!parsedType.success) {
    throw invalid(`Not an OpenSSH public key: the line should start with one of ${ACCEPTED}.`);
  }
  const algorithm = parsedType.data;
  const blob = decodeBase64(data);
  if (blobKeyType(blob) !== algorithm) {
    throw invalid(`The key data does not match its type ${algorithm}; the line may be damaged.`);
  }
  const key = ssh2.utils.parseKey(blob);
  if (key instanceof Error || key.type !== algorithm) {
    throw invalid(`The ${algorithm} key data could not be read; the line may be damaged.`);
  }
  const bits = keyBits(algorithm, key.getPublicPEM());
  if (algorithm === 'ssh-rsa' && bits < SSH_RSA_MIN_BITS) {
    throw invalid(
      `RSA keys must have at least ${SSH_RSA_MIN_BITS} bits; this one has ${bits}. Use ed25519 (ssh-keygen -t ed25519) or a larger RSA key.`,
    );
  }
  return { algorithm, blob, bits, comment: rest.join(' '), fingerprint: fingerprintOf(blob) };
}

function refuseUnsupportedType(type: string): void {
  if (type === 'ssh-dss') {
    throw invalid(
      'DSA keys (ssh-dss) are not supported: they are obsolete and OpenSSH disabled them. Use ed25519.',
    );
  }
  if (type.startsWith('sk-')) {
    throw invalid(`Security-key (FIDO) keys (${type}) are not supported yet. Use an ed25519 or ECDSA key.`);
  }
  if (type.includes('-cert-v01@openssh.com')) {
    throw invalid(`SSH certificates (${type}) are not supported. Paste the plain public key.`);
  }
}

function decodeBase64(data: string): Buffer {
  if (!BASE64.test(data))
    throw invalid('The key data is not valid base64; the line may be damaged or cut short.');
  const blob = Buffer.from(data, 'base64');
  // Node's decoder skips what it does not understand; re-encoding catches truncated input.
  if (blob.toString('base64').replace(/=+$/, '') !== data.replace(/=+$/, '')) {
    throw invalid('The key data is not valid base64; the line may be damaged or cut short.');
  }
  return blob;
}

function keyBits(algorithm: SshKeyAlgorithm, pem: string): number {
  if (algorithm === 'ssh-ed25519') return 256;
  const details = createPublicKey(pem).asymmetricKeyDetails;
  if (algorithm === 'ssh-rsa') return details?.modulusLength ?? 0;
  return CURVE_BITS[details?.namedCurve ?? ''] ?? 0;
}
