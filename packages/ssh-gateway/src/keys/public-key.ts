import { createHash, createPublicKey } from 'node:crypto';
import { ErrorCode, SSH_RSA_MIN_BITS, type SshKeyAlgorithm, StudiosError } from '@studios/protocol';
import { utils } from 'ssh2';

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

const ACCEPTED: readonly string[] = [
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'ssh-rsa',
];
const ECDSA_BITS: Readonly<Record<string, number>> = {
  'ecdsa-sha2-nistp256': 256,
  'ecdsa-sha2-nistp384': 384,
  'ecdsa-sha2-nistp521': 521,
};

const invalid = (message: string) => new StudiosError(ErrorCode.SshKeyInvalid, message);

/**
 * Parses one OpenSSH public-key line. Throws StudiosError `ssh_key_invalid` with a message
 * naming what is wrong (not a public key, a private key pasted by mistake, an unsupported type,
 * RSA under 3072 bits).
 */
export function parsePublicKey(line: string): ParsedPublicKey {
  const text = line.trim();
  if (/PRIVATE KEY/.test(text)) {
    throw invalid('That is a private key: never share it. Paste the public key, the .pub file next to it.');
  }
  if (text.includes('\n'))
    throw invalid('Paste one public key, a single line such as "ssh-ed25519 AAAA… you@laptop".');
  const [type = '', body = ''] = text.split(/\s+/);
  if (type === 'ssh-dss')
    throw invalid('DSA keys are not accepted (OpenSSH disabled them). Use ssh-keygen -t ed25519.');
  if (type.startsWith('sk-')) {
    throw invalid('Security-key (FIDO) SSH keys are not supported yet. Use an ed25519, ECDSA or RSA key.');
  }
  if (!ACCEPTED.includes(type) || !/^[A-Za-z0-9+/]+={0,2}$/.test(body)) {
    throw invalid('This is not an OpenSSH public key. It should look like "ssh-ed25519 AAAA… you@laptop".');
  }
  const parsed = utils.parseKey(text);
  if (parsed instanceof Error || Array.isArray(parsed) || parsed.isPrivateKey()) {
    throw invalid('This public key could not be read. Copy the whole line of the .pub file.');
  }
  if (parsed.type !== type) throw invalid(`The key says it is ${type} but holds a ${parsed.type} key.`);
  const blob = parsed.getPublicSSH();
  const bits = keyBits(type, parsed.getPublicPEM());
  if (type === 'ssh-rsa' && bits < SSH_RSA_MIN_BITS) {
    throw invalid(
      `RSA keys must have at least ${SSH_RSA_MIN_BITS} bits; this one has ${bits}. Make a new key with ssh-keygen -t ed25519.`,
    );
  }
  return {
    algorithm: type as SshKeyAlgorithm,
    blob,
    bits,
    comment: parsed.comment ?? '',
    fingerprint: fingerprintOf(blob),
  };
}

/** `SHA256:…` of a key blob. */
export function fingerprintOf(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

function keyBits(type: string, pem: string): number {
  if (type === 'ssh-ed25519') return 256;
  const ecdsa = ECDSA_BITS[type];
  if (ecdsa) return ecdsa;
  const modulus = createPublicKey(pem).asymmetricKeyDetails?.modulusLength;
  if (!modulus) throw invalid('The size of this RSA key could not be read.');
  return modulus;
}
