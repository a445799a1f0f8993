import { z } from 'zod';

/**
 * Remote-SSH into Studios (VS Code, Cursor, plain `ssh`/`sftp`/`scp`).
 *
 * Users register public keys (`/api/ssh-keys`); the gateway (default port 2222) accepts a key
 * for the Studio named by the SSH user name when the key's owner is an owner or editor of it.
 * User names: the Studio's id (always works), or its name as a slug (`My Studio` → `my-studio`)
 * when exactly one Studio the key's owner may enter has that slug.
 */

/** The key types the gateway accepts: ed25519, ECDSA, and RSA of at least 3072 bits. */
export const SshKeyAlgorithm = z.enum([
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'ssh-rsa',
]);
export type SshKeyAlgorithm = z.infer<typeof SshKeyAlgorithm>;
export const SSH_RSA_MIN_BITS = 3072;
/** Longest public-key line accepted (an RSA-16384 line is ~2.8 KB). */
export const SSH_PUBLIC_KEY_MAX_CHARS = 16_384;

export const SshKeyAddBody = z.strictObject({
  /** A name to recognise the key by ("laptop"); defaults to the key's comment on the client. */
  name: z.string().trim().min(1).max(80),
  /** One OpenSSH public-key line: `ssh-ed25519 AAAA… comment`. */
  publicKey: z.string().trim().min(1).max(SSH_PUBLIC_KEY_MAX_CHARS),
});
export type SshKeyAddBody = z.infer<typeof SshKeyAddBody>;

export const SshKeySummary = z.object({
  id: z.string(),
  name: z.string(),
  algorithm: SshKeyAlgorithm,
  /** Key size in bits (RSA and ECDSA; 256 for ed25519). */
  bits: z.number().int(),
  /** OpenSSH's form: `SHA256:` + unpadded base64 of the key blob's SHA-256. */
  fingerprint: z.string(),
  /** The comment on the key line, if any. */
  comment: z.string(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
});
export type SshKeySummary = z.infer<typeof SshKeySummary>;

/** The gateway as clients reach it: `GET /api/ssh`. */
export const SshGatewayInfo = z.object({
  enabled: z.boolean(),
  /** The host name clients dial (STUDIOS_SSH_PUBLIC_HOST, else the public origin's host). */
  host: z.string(),
  port: z.number().int(),
  /** Host key: algorithm, `SHA256:…` fingerprint, and the public key in OpenSSH form. */
  hostKey: z.object({ algorithm: z.string(), fingerprint: z.string(), publicKey: z.string() }),
  /** The alias clients pin the host key under (`HostKeyAlias`), the same for every Studio. */
  hostKeyAlias: z.string(),
  /** `<hostKeyAlias> <algorithm> <base64>`: the line for known_hosts. */
  knownHostsLine: z.string(),
});
export type SshGatewayInfo = z.infer<typeof SshGatewayInfo>;

/** How to connect to one Studio: `GET /api/studios/:id/ssh`. */
export const SshConnectInfo = z.object({
  gateway: SshGatewayInfo,
  /** The SSH user name that selects this Studio (its id). */
  user: z.string(),
  /** The `Host` alias of the config block (`studios-<slug>`), used by the editor links. */
  hostAlias: z.string(),
  /** A ready `~/.ssh/config` block; `IdentityFile` is a placeholder the client may replace. */
  sshConfig: z.string(),
  /** `vscode://vscode-remote/ssh-remote+<hostAlias>/workspace` */
  vscodeUri: z.string(),
  /** `cursor://vscode-remote/ssh-remote+<hostAlias>/workspace` */
  cursorUri: z.string(),
});
export type SshConnectInfo = z.infer<typeof SshConnectInfo>;

/** One SSH connection into a Studio, as the presence list shows it. */
export const SshSessionInfo = z.object({
  id: z.string(),
  userId: z.string(),
  name: z.string(),
  /** The client's identification, e.g. `OpenSSH_9.2p1 Debian-2+deb12u3`. */
  client: z.string(),
  connectedAt: z.string(),
  /** Open channels by kind: shells and commands, sftp, port forwards. */
  channels: z.object({
    shell: z.number().int(),
    exec: z.number().int(),
    sftp: z.number().int(),
    forward: z.number().int(),
  }),
});
export type SshSessionInfo = z.infer<typeof SshSessionInfo>;

/** `GET /api/studios/:id/ssh/sessions`; also pushed as the `ssh-sessions` event. */
export const SshSessionList = z.object({ sessions: z.array(SshSessionInfo) });
export type SshSessionList = z.infer<typeof SshSessionList>;

/** `studios-` + a slug of a Studio's name: lowercase letters, digits and single dashes. */
export function studioSlug(name: string): string {
  const slug = name
    .normalize('NFKD')
    // Accents come apart from their letters under NFKD: drop the marks, keep the letters (Ü → u).
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/g, '');
  return slug || 'studio';
}
