import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { ParsedKey } from 'ssh2';
import ssh2 from 'ssh2';

/** How a forged key signs: random bytes, or a real signature by some other key. */
export type ForgedSignature = { garbage: number } | { signer: ParsedKey };

/** Reads a private key made by ssh-keygen. */
export function readPrivateKey(path: string): ParsedKey {
  const key = ssh2.utils.parseKey(readFileSync(path));
  if (key instanceof Error || Array.isArray(key)) throw new Error(`cannot read ${path}`);
  return key;
}

/**
 * An attacker's "private key" for ssh2's Client: it presents the victim's public blob under
 * `claimedType` (which picks the algorithm name ssh2 sends) and signs with garbage or with a
 * key that is not the victim's. `base` is any real private key: ssh2 only accepts objects that
 * look parsed.
 */
export function forgedKey(
  base: ParsedKey,
  victimBlob: Buffer,
  claimedType: string,
  signature: ForgedSignature,
): ParsedKey {
  const forged = Object.create(base) as ParsedKey;
  Object.defineProperty(forged, 'type', { value: claimedType });
  forged.getPublicSSH = () => victimBlob;
  forged.sign = (data: Buffer | string, hash?: string) =>
    'garbage' in signature ? randomBytes(signature.garbage) : signature.signer.sign(data, hash);
  return forged;
}

/** Logs in with ssh2's Client and this key only; resolves `ready` or the error that ended it. */
export function tryKeyLogin(port: number, username: string, privateKey: ParsedKey): Promise<'ready' | Error> {
  return new Promise((resolve) => {
    const client = new ssh2.Client();
    client.on('ready', () => {
      client.end();
      resolve('ready');
    });
    client.on('error', (error) => {
      client.end();
      resolve(error);
    });
    client.connect({
      host: '127.0.0.1',
      port,
      username,
      readyTimeout: 10_000,
      // One method only: after it fails, ssh2 gives up with an authentication error.
      authHandler: [{ type: 'publickey', username, key: privateKey }] as never,
      hostVerifier: () => true,
    });
  });
}
