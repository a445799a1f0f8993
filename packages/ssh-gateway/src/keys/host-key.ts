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
export async function loadOrCreateHostKey(_path: string): Promise<HostKey> {
  throw new Error('not implemented yet');
}
