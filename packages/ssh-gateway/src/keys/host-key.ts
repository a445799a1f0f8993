import { chmod, mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { utils } from 'ssh2';
import { fingerprintOf } from './public-key';

/** The gateway's own key: generated once, kept (mode 0600), the same across restarts. */
export interface HostKey {
  /** The private key in OpenSSH format, for the SSH server. */
  privateKey: string;
  algorithm: string;
  /** `ssh-ed25519 AAAA…` (no comment). */
  publicKey: string;
  fingerprint: string;
}

/**
 * Reads the host key at `path`, or generates an ed25519 key there (0600, folder 0700) when there
 * is none. Refuses a key file readable by others, as sshd does.
 */
export async function loadOrCreateHostKey(path: string): Promise<HostKey> {
  const existing = await stat(path).catch(() => undefined);
  if (existing) {
    if ((existing.mode & 0o077) !== 0) {
      throw new Error(
        `The SSH host key ${path} is readable by other users (mode ${(existing.mode & 0o777).toString(8)}). ` +
          `Run chmod 600 ${path}.`,
      );
    }
    return describe(await readFile(path, 'utf8'), path);
  }
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  await chmod(dirname(path), 0o700);
  const { private: privateKey } = utils.generateKeyPairSync('ed25519');
  // Written aside and renamed: a crash never leaves half a key that the next start would refuse.
  const partial = `${path}.${process.pid}.tmp`;
  await writeFile(partial, privateKey, { mode: 0o600 });
  await rename(partial, path);
  return describe(privateKey, path);
}

function describe(privateKey: string, path: string): HostKey {
  const parsed = utils.parseKey(privateKey);
  if (parsed instanceof Error || Array.isArray(parsed) || !parsed.isPrivateKey()) {
    throw new Error(
      `The SSH host key ${path} is not an OpenSSH private key. Move it away to make a new one.`,
    );
  }
  const blob = parsed.getPublicSSH();
  return {
    privateKey,
    algorithm: parsed.type,
    publicKey: `${parsed.type} ${blob.toString('base64')}`,
    fingerprint: fingerprintOf(blob),
  };
}
