import { randomBytes } from 'node:crypto';
import { link, mkdir, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import ssh2 from 'ssh2';
import { generateEd25519OpenSsh } from './ed25519-openssh';
import { fingerprintOf } from './fingerprint';

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
 * is none. Refuses a key file readable by others.
 */
export async function loadOrCreateHostKey(path: string): Promise<HostKey> {
  const existing = await readHostKey(path);
  if (existing) return existing;
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const privateKey = generateEd25519OpenSsh();
  // Written under a temporary name, then linked into place: a crash never leaves half a key,
  // and of two servers starting at once the second keeps the first one's key (link fails with
  // EEXIST where rename would silently replace it, changing the key clients already pinned).
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(temporary, privateKey, { mode: 0o600, flag: 'wx' });
  try {
    await link(temporary, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    await unlink(temporary).catch(() => {});
  }
  const stored = await readHostKey(path);
  if (!stored) throw new Error(`The SSH host key ${path} vanished right after it was written.`);
  return stored;
}

async function readHostKey(path: string): Promise<HostKey | null> {
  let mode: number;
  try {
    mode = (await stat(path)).mode;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  // Like sshd: a private key others can read is no longer private, so refuse to use it.
  if ((mode & 0o077) !== 0) {
    const octal = (mode & 0o777).toString(8).padStart(4, '0');
    throw new Error(
      `The SSH host key ${path} is readable by other users (mode ${octal}); run chmod 600 ${path}.`,
    );
  }
  const privateKey = await readFile(path, 'utf8');
  const parsed = ssh2.utils.parseKey(privateKey);
  if (parsed instanceof Error || !parsed.isPrivateKey()) {
    throw new Error(
      `The SSH host key ${path} is not a readable private key (${parsed instanceof Error ? parsed.message : 'public key only'}).`,
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
