import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from './atomic-write';
import { addKnownHost, type KnownHostResult } from './known-hosts';
import { mergeBlock } from './ssh-config-block';

/** `~/.ssh`, made 0700 when missing (ssh refuses keys and config in a folder others can write). */
export function sshFolder(home: string): string {
  const folder = join(home, '.ssh');
  if (!existsSync(folder)) mkdirSync(folder, { recursive: true, mode: 0o700 });
  return folder;
}

function readIfExists(path: string): string {
  return existsSync(path) ? readFileSync(path, 'utf8') : '';
}

/**
 * Writes the Studio's block into `~/.ssh/config` (replacing its earlier block, also one under an
 * older alias that logs in as the same `studioUser`), atomically; a new file is made 0600.
 * `changed` is false when the file already held exactly this block.
 */
export function installSshConfigBlock(
  home: string,
  hostAlias: string,
  sshConfig: string,
  studioUser?: string,
): { path: string; changed: boolean } {
  const path = join(sshFolder(home), 'config');
  const existing = readIfExists(path);
  const merged = mergeBlock(existing, hostAlias, sshConfig, studioUser);
  if (merged === existing && existsSync(path)) return { path, changed: false };
  writeFileAtomic(path, merged, 0o600);
  return { path, changed: true };
}

/** Adds the gateway's host key line to `~/.ssh/known_hosts` unless it is there already. */
export function installKnownHost(home: string, line: string): { path: string; result: KnownHostResult } {
  const path = join(sshFolder(home), 'known_hosts');
  const result = addKnownHost(readIfExists(path), line);
  if (result.status === 'added') writeFileAtomic(path, result.text, 0o600);
  return { path, result };
}
