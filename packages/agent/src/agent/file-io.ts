import { createHash, randomBytes } from 'node:crypto';
import type { Stats } from 'node:fs';
import { lstat, mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { AgentDocRead, AgentFileStamp } from '@studios/protocol';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export function sha256(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export function toStamp(info: Stats): AgentFileStamp {
  return {
    ino: info.ino,
    mtimeMs: info.mtimeMs,
    size: info.size,
    mode: info.mode,
    uid: info.uid,
    gid: info.gid,
  };
}

/** The file's stamp, or null when it does not exist. */
export async function readStamp(path: string): Promise<AgentFileStamp | null> {
  const info = await stat(path).catch((error: unknown) => {
    if (isMissing(error)) return null;
    throw error;
  });
  return info ? toStamp(info) : null;
}

/**
 * Reads a file that should open as a live text document. Binary content (a NUL byte or invalid
 * UTF-8) and files above `maxBytes` are reported as unsupported instead of being decoded lossily:
 * saving a lossy decode back would corrupt the file.
 */
export async function readTextFile(
  path: string,
  maxBytes: number,
): Promise<{ read: AgentDocRead; bytes?: Uint8Array }> {
  let info: Stats;
  try {
    info = await stat(path);
  } catch (error) {
    if (isMissing(error)) return { read: { kind: 'missing' } };
    throw error;
  }
  if (!info.isFile()) return { read: { kind: 'not-a-file' } };
  const tooLarge = {
    read: { kind: 'unsupported', reason: `file larger than ${formatBytes(maxBytes)}` },
  } as const;
  if (info.size > maxBytes) return tooLarge;
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    if (isMissing(error)) return { read: { kind: 'missing' } };
    throw error;
  }
  if (bytes.length > maxBytes) return tooLarge;
  if (!isText(bytes)) return { read: { kind: 'unsupported', reason: 'binary file' } };
  return { read: { kind: 'text', hash: sha256(bytes), stamp: toStamp(info) }, bytes };
}

/** UTF-8 text (no NUL byte, valid UTF-8)? */
export function isText(bytes: Uint8Array): boolean {
  if (bytes.includes(0)) return false;
  try {
    strictUtf8.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/**
 * Writes through a temp file in the same folder and a rename, so readers (compilers, git, the
 * terminal) never see a half-written file. Keeps the existing file's mode. A caller that has
 * just stat'ed the file passes it as `existing` (null: it does not exist) to save a syscall:
 * live documents save twice a second each, so every call here counts. Returns the new file's
 * stamp. The agent runs as the Studio user, so everything it writes is theirs.
 */
export async function writeFileAtomic(
  path: string,
  content: Uint8Array | AsyncIterable<Uint8Array>,
  options: { maxBytes?: number; existing?: { mode: number } | null } = {},
): Promise<AgentFileStamp> {
  const existing =
    options.existing !== undefined
      ? options.existing
      : await stat(path).catch((error: unknown) => {
          if (isMissing(error)) return null;
          throw error;
        });
  const temp = join(dirname(path), tempFileName(basename(path)));
  const mode = existing ? existing.mode & 0o7777 : 0o644;
  const handle = await open(temp, 'wx', mode).catch(async (error: unknown) => {
    // Only a missing folder costs a mkdir: the common case (it exists) skips it.
    if (!isMissing(error)) throw error;
    await mkdir(dirname(path), { recursive: true });
    return open(temp, 'wx', mode);
  });
  try {
    if (content instanceof Uint8Array) {
      if (options.maxBytes !== undefined && content.byteLength > options.maxBytes) {
        throw new ContentTooLargeError(options.maxBytes);
      }
      await handle.writeFile(content);
    } else {
      let total = 0;
      for await (const chunk of content) {
        total += chunk.byteLength;
        if (options.maxBytes !== undefined && total > options.maxBytes) {
          throw new ContentTooLargeError(options.maxBytes);
        }
        await handle.write(chunk);
      }
    }
    const info = await handle.stat();
    // open() applied the umask; only a mode it masked needs the extra call.
    if ((info.mode & 0o7777) !== mode) await handle.chmod(mode);
    await handle.close();
    await rename(temp, path);
    return { ...toStamp(info), mode: (info.mode & ~0o7777) | mode };
  } catch (error) {
    await handle.close().catch(() => {});
    await rm(temp, { force: true });
    throw error;
  }
}

/** Removes `path` only if it is still the file with inode `ino` (our own write), not someone else's. */
export async function removeIfSame(path: string, ino: number): Promise<boolean> {
  const info = await lstat(path).catch(() => null);
  if (info?.ino !== ino) return false;
  await rm(path, { force: true });
  return true;
}

/** The content given to {@link writeFileAtomic} was larger than its `maxBytes`; nothing was written. */
export class ContentTooLargeError extends Error {
  override readonly name = 'ContentTooLargeError';
  constructor(readonly maxBytes: number) {
    super(`Content larger than ${formatBytes(maxBytes)}`);
  }
}

/** Temp files of atomic writes; listings and watchers skip names like this. */
export const TEMP_FILE_PATTERN = /^\..+\.studios-[0-9a-f]{12}\.tmp$/;

/** Random per process, then a counter: unique names without asking the CSPRNG on every save. */
const tempPrefix = randomBytes(3).toString('hex');
let tempCounter = 0;

function tempFileName(name: string): string {
  tempCounter = (tempCounter + 1) % 0x1000000;
  return `.${name}.studios-${tempPrefix}${tempCounter.toString(16).padStart(6, '0')}.tmp`;
}

export function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

export function formatBytes(bytes: number): string {
  if (bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MB`;
  if (bytes % 1024 === 0) return `${bytes / 1024} KB`;
  return `${bytes} bytes`;
}
