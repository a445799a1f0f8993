import type { SshKeyAlgorithm } from '@studios/protocol';

/** Why a viewer's button is disabled: SSH gives a shell, which is more than viewing. */
export const VIEWER_SSH_TOOLTIP = "Viewers can't connect over SSH — ask an owner for editor access";

// `IdentityFile path`, `IdentityFile "path with spaces"` or `IdentityFile=path`, any case.
const IDENTITY_FILE_LINE = /^(\s*)(identityfile)(\s*=\s*|\s+)(.*)$/i;

/** A path as ssh_config reads it: quoted when it holds whitespace, `#` or quotes. */
function configValue(path: string): string {
  return /[\s#"]/.test(path) ? `"${path.replace(/"/g, '')}"` : path;
}

function unquote(value: string): string {
  const trimmed = value.trim();
  return trimmed.length >= 2 && trimmed.startsWith('"') && trimmed.endsWith('"')
    ? trimmed.slice(1, -1)
    : trimmed;
}

/** The `IdentityFile` a config block names (unquoted), or `null` when it names none. */
export function identityFileOf(block: string): string | null {
  for (const line of block.split('\n')) {
    const match = IDENTITY_FILE_LINE.exec(line);
    if (match) return unquote(match[4] ?? '');
  }
  return null;
}

/**
 * The `~/.ssh/config` block with its `IdentityFile` pointing at `path`. Only the first line of
 * `path` counts (a pasted newline must not add config lines); a blank path leaves the block as it
 * is. A block without the line gets one after its last option, indented like the others.
 */
export function withIdentityFile(block: string, path: string): string {
  const wanted = (path.split(/\r?\n/)[0] ?? '').trim();
  if (!wanted) return block;
  const lines = block.split('\n');
  let replaced = false;
  const rewritten = lines.map((line) => {
    const match = IDENTITY_FILE_LINE.exec(line);
    if (!match) return line;
    replaced = true;
    return `${match[1]}${match[2]}${match[3]}${configValue(wanted)}`;
  });
  if (replaced) return rewritten.join('\n');
  let last = lines.length - 1;
  while (last > 0 && !lines[last]?.trim()) last -= 1;
  const indent = /^(\s+)\S/.exec(lines[last] ?? '')?.[1] ?? '  ';
  lines.splice(last + 1, 0, `${indent}IdentityFile ${configValue(wanted)}`);
  return lines.join('\n');
}

const DEFAULT_KEY_FILES: Record<SshKeyAlgorithm, string> = {
  'ssh-ed25519': '~/.ssh/id_ed25519',
  'ecdsa-sha2-nistp256': '~/.ssh/id_ecdsa',
  'ecdsa-sha2-nistp384': '~/.ssh/id_ecdsa',
  'ecdsa-sha2-nistp521': '~/.ssh/id_ecdsa',
  'ssh-rsa': '~/.ssh/id_rsa',
};

/**
 * Where the private key probably is: `ssh-keygen`'s default file for the type of the newest
 * registered key, else whatever the server's block says.
 */
export function suggestedIdentityFile(
  keys: readonly { algorithm: SshKeyAlgorithm; createdAt: string }[],
  block: string,
): string {
  const newest = [...keys].sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];
  return newest ? DEFAULT_KEY_FILES[newest.algorithm] : (identityFileOf(block) ?? '');
}

/** The plain `ssh` command once the block is in `~/.ssh/config`. */
export function sshCommand(hostAlias: string): string {
  return `ssh ${hostAlias}`;
}

/** The Studios CLI command that prints the same block for a Studio. */
export function cliCommand(studioId: string): string {
  return `npx studios ssh-config ${studioId}`;
}
