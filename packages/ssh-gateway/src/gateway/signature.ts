import ssh2 from 'ssh2';

/** What a publickey request carries once the client has signed it (ssh2's PublicKeyAuthContext). */
export interface SignedLogin {
  /** ssh2 reports the key type here: `rsa-sha2-256`/`-512` arrive as `ssh-rsa` plus `hashAlgo`. */
  keyAlgorithm: string;
  keyBlob: Buffer;
  /** The signature, already converted by ssh2 from SSH wire form to what Node's crypto verifies. */
  signature: Buffer;
  /** The signed data: session id and the userauth request up to the signature. */
  signedData: Buffer;
  /** `sha256`/`sha512` for rsa-sha2-*; undefined otherwise. */
  hashAlgorithm: string | undefined;
}

/** RSA signatures we accept: SHA-2 only. Plain `ssh-rsa` (SHA-1) is off by default since OpenSSH 8.8. */
const RSA_HASHES = new Set(['sha256', 'sha512']);

/**
 * Verifies a login signature strictly. ssh2's `key.verify()` returns an Error (truthy!) when
 * verification throws, so `if (!verify())` lets in anyone holding only the public key; here
 * anything but exactly `true` fails, and the blob's own key type must be the one the client named.
 */
export function verifyLoginSignature(login: SignedLogin): boolean {
  const parsed = ssh2.utils.parseKey(login.keyBlob);
  if (parsed instanceof Error || Array.isArray(parsed) || parsed.isPrivateKey()) return false;
  if (parsed.type !== login.keyAlgorithm) return false;
  if (parsed.type === 'ssh-dss') return false;
  if (parsed.type === 'ssh-rsa') {
    if (!login.hashAlgorithm || !RSA_HASHES.has(login.hashAlgorithm)) return false;
  } else if (login.hashAlgorithm !== undefined) {
    // Only rsa-sha2-* set a hash; anything else here means the request was not what it claims.
    return false;
  }
  try {
    return parsed.verify(login.signedData, login.signature, login.hashAlgorithm) === true;
  } catch {
    return false;
  }
}
