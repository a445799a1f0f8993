import { randomBytes } from 'node:crypto';
import {
  closeSync,
  fsyncSync,
  openSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * Replaces `path` with `text` in one step: a reader sees the old file or the new one, never half
 * of it, and a crash leaves the old one. The temp file is written beside the target (rename only
 * is atomic within a file system), synced, then renamed over it.
 *
 * A symlinked target (dotfile managers link `~/.ssh/config`) is written through: the link stays
 * and the file it points at is replaced. An existing file keeps its mode; a new one gets `mode`.
 */
export function writeFileAtomic(path: string, text: string, mode: number): void {
  const target = resolveLink(path);
  const existingMode = modeOf(target);
  const temp = join(dirname(target), `.${basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
  const fd = openSync(temp, 'wx', existingMode ?? mode);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    rmSync(temp, { force: true });
    throw error;
  }
  closeSync(fd);
  try {
    renameSync(temp, target);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}

function resolveLink(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

function modeOf(path: string): number | undefined {
  try {
    return statSync(path).mode & 0o7777;
  } catch {
    return undefined;
  }
}
