import { createHash, randomBytes } from 'node:crypto';
import { chown, mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Numeric owner for files the server writes into a workspace (the Studio's user, not root). */
export interface FileOwner {
  uid: number;
  gid: number;
}

export type TextFileRead =
  | { kind: 'text'; text: string; hash: string; ino: number; mtimeMs: number; size: number }
  | { kind: 'missing' }
  | { kind: 'unsupported'; reason: string }
  | { kind: 'not-a-file' };

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export function sha256(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Hash of the file content a missing file stands for (an empty doc). */
export const EMPTY_HASH = sha256('');

/**
 * Reads a file that should open as a live text document. Binary content (a NUL byte or invalid
 * UTF-8) and files above `maxBytes` are reported as unsupported instead of being decoded lossily:
 * saving a lossy decode back would corrupt the file.
 */
export async function readTextFile(path: string, maxBytes: number): Promise<TextFileRead> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(path);
  } catch (error) {
    if (isMissing(error)) return { kind: 'missing' };
    throw error;
  }
  if (!info.isFile()) return { kind: 'not-a-file' };
  if (info.size > maxBytes)
    return { kind: 'unsupported', reason: `file larger than ${formatBytes(maxBytes)}` };
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    if (isMissing(error)) return { kind: 'missing' };
    throw error;
  }
  if (bytes.length > maxBytes)
    return { kind: 'unsupported', reason: `file larger than ${formatBytes(maxBytes)}` };
  const text = decodeText(bytes);
  if (text === null) return { kind: 'unsupported', reason: 'binary file' };
  return { kind: 'text', text, hash: sha256(bytes), ino: info.ino, mtimeMs: info.mtimeMs, size: info.size };
}

/** UTF-8 text, or null for content that is not text (NUL byte or invalid UTF-8). */
export function decodeText(bytes: Uint8Array): string | null {
  if (bytes.includes(0)) return null;
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return null;
  }
}

/** What {@link writeFileAtomic} keeps of the file it replaces. */
export interface ReplacedFile {
  mode: number;
  uid: number;
  gid: number;
}

/**
 * Writes through a temp file in the same folder and a rename, so readers (compilers, git, the
 * terminal) never see a half-written file. Keeps the existing file's mode; new files are owned
 * by `owner` when given. Returns the written file's inode, so a caller can recognise its own file.
 * A caller that has just stat'ed the file passes it as `existing` (null: it does not exist) to
 * save a syscall; live documents save twice a second each, so every call here counts.
 */
export async function writeFileAtomic(
  path: string,
  content: Uint8Array | string | AsyncIterable<Uint8Array>,
  options: {
    owner?: FileOwner;
    defaultMode?: number;
    maxBytes?: number;
    existing?: ReplacedFile | null;
  } = {},
): Promise<{ ino: number; mtimeMs: number; size: number }> {
  const existing =
    options.existing !== undefined
      ? options.existing
      : await stat(path).catch((error: unknown) => {
          if (isMissing(error)) return null;
          throw error;
        });
  const temp = join(dirname(path), tempFileName(basename(path)));
  const mode = existing ? existing.mode & 0o7777 : (options.defaultMode ?? 0o644);
  const handle = await open(temp, 'wx', mode).catch(async (error: unknown) => {
    // Only a missing folder costs a mkdir: the common case (it exists) skips it.
    if (!isMissing(error)) throw error;
    await mkdir(dirname(path), { recursive: true });
    return open(temp, 'wx', mode);
  });
  let written: { ino: number; mtimeMs: number; size: number };
  try {
    if (typeof content === 'string' || content instanceof Uint8Array) {
      if (options.maxBytes !== undefined && Buffer.byteLength(content) > options.maxBytes) {
        throw new ContentTooLargeError(options.maxBytes);
      }
      await handle.writeFile(content);
    } else {
      let total = 0;
      for await (const chunk of content) {
        total += chunk.byteLength;
        if (options.maxBytes !== undefined && total > options.maxBytes)
          throw new ContentTooLargeError(options.maxBytes);
        await handle.write(chunk);
      }
    }
    // ino, mtime and size do not change with the chmod, chown and rename below.
    const info = await handle.stat();
    written = { ino: info.ino, mtimeMs: info.mtimeMs, size: info.size };
    // open() applied the umask; only a mode it masked needs the extra call.
    if ((info.mode & 0o7777) !== mode) await handle.chmod(mode);
    // Only root can (and needs to) hand a replaced file back to its previous owner.
    const runningAsRoot = process.getuid?.() === 0;
    const owner =
      options.owner ?? (existing && runningAsRoot ? { uid: existing.uid, gid: existing.gid } : undefined);
    if (owner && (owner.uid !== info.uid || owner.gid !== info.gid)) await handle.chown(owner.uid, owner.gid);
    await handle.close();
    await rename(temp, path);
  } catch (error) {
    await handle.close().catch(() => {});
    await rm(temp, { force: true });
    throw error;
  }
  return written;
}

/** The content given to {@link writeFileAtomic} was larger than its `maxBytes`; nothing was written. */
export class ContentTooLargeError extends Error {
  override readonly name = 'ContentTooLargeError';
  constructor(readonly maxBytes: number) {
    super(`Content larger than ${formatBytes(maxBytes)}`);
  }
}

/** Temp files of atomic writes; watchers skip names like this. */
export const TEMP_FILE_PATTERN = /^\..+\.studios-[0-9a-f]{12}\.tmp$/;

/** Random per process, then a counter: unique names without asking the CSPRNG on every save. */
const tempPrefix = randomBytes(3).toString('hex');
let tempCounter = 0;

function tempFileName(name: string): string {
  tempCounter = (tempCounter + 1) % 0x1000000;
  return `.${name}.studios-${tempPrefix}${tempCounter.toString(16).padStart(6, '0')}.tmp`;
}

export async function chownIfGiven(path: string, owner: FileOwner | undefined): Promise<void> {
  if (owner) await chown(path, owner.uid, owner.gid);
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
