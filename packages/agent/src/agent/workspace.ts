import { constants } from 'node:fs';
import {
  type FileHandle,
  lstat,
  mkdir,
  open,
  readdir,
  readlink,
  realpath,
  rename,
  rm,
} from 'node:fs/promises';
import { basename, dirname, join, relative, resolve as resolvePath, sep } from 'node:path';
import { ErrorCode, type FileEntry, normalizeWorkspacePath } from '@studios/protocol';
import { isMissing, TEMP_FILE_PATTERN } from './file-io';
import { toWorkspaceError, WorkspaceError } from './workspace-error';

/** A located path: the entry itself (`linkPath`) and what reading or writing it touches (`realPath`). */
interface Located {
  rel: string;
  linkPath: string;
  realPath: string;
}

/** lstat calls a listing keeps under way at once (Node's thread pool has 4 threads by default). */
const LIST_BATCH = 32;

/**
 * The Studio's workspace folder, as the agent serves it from inside the Studio (as the Studio
 * user, so every file it creates is theirs). Every path goes through
 * {@link normalizeWorkspacePath} and then a real-path check against `root + sep`, so neither
 * `..`, a sibling folder sharing a prefix (`ws1` vs `ws10`), nor a symbolic link pointing outside
 * can reach another file. Links that stay inside are followed for content and left alone for
 * move and remove.
 */
export class Workspace {
  readonly #root: string;
  #realRoot: Promise<string> | undefined;

  constructor(root: string) {
    this.#root = root;
  }

  /** Absolute real path of `relPath`, guaranteed inside the workspace (it may not exist yet). */
  async resolve(relPath: string): Promise<string> {
    return (await this.#locate(relPath)).realPath;
  }

  /** The whole tree, breadth first, stopping after `max` entries (then `truncated`). */
  async list(max = 10_000): Promise<{ entries: FileEntry[]; truncated: boolean }> {
    const root = await this.#rootPath();
    const found: FileEntry[] = [];
    let truncated = false;
    // Breadth first, so a truncated listing still shows the top of the tree.
    const queue = [''];
    while (queue.length > 0 && !truncated) {
      const folder = queue.shift() as string;
      const dirents = await readdir(join(root, folder), { withFileTypes: true }).catch(() => []);
      const names = dirents
        .filter((dirent) => !TEMP_FILE_PATTERN.test(dirent.name))
        .map((dirent) => dirent.name);
      if (found.length + names.length > max) {
        truncated = true;
        names.length = Math.max(0, max - found.length);
      }
      // One folder's entries are stat'ed together: a 10,000-file tree is mostly waiting on
      // the file system, and the thread pool serves several lstat calls at once.
      for (let start = 0; start < names.length; start += LIST_BATCH) {
        const batch = names.slice(start, start + LIST_BATCH).map((name) => {
          const rel = folder ? `${folder}/${name}` : name;
          return this.#entry(rel, join(root, rel)).catch(() => null);
        });
        for (const entry of await Promise.all(batch)) {
          if (!entry) continue;
          found.push(entry);
          if (entry.kind === 'directory') queue.push(entry.path);
        }
      }
    }
    return { entries: sortAsTree(found), truncated };
  }

  async stat(relPath: string): Promise<FileEntry> {
    const located = await this.#locate(relPath);
    return this.#guard(located.rel, () => this.#entry(located.rel, located.linkPath));
  }

  async createFile(relPath: string): Promise<FileEntry> {
    const located = await this.#locate(relPath);
    return this.#guard(located.rel, async () => {
      await this.#makeParents(located.realPath);
      const handle = await open(located.realPath, 'wx', 0o644);
      await handle.close();
      return this.#entry(located.rel, located.linkPath);
    });
  }

  async createDirectory(relPath: string): Promise<FileEntry> {
    const located = await this.#locate(relPath);
    return this.#guard(located.rel, async () => {
      await this.#makeParents(located.realPath);
      await mkdir(located.realPath);
      return this.#entry(located.rel, located.linkPath);
    });
  }

  /** Renames a file or folder; refuses to replace anything at `to`. */
  async move(from: string, to: string): Promise<FileEntry> {
    const source = await this.#locate(from);
    const target = await this.#locate(to);
    return this.#guard(source.rel, async () => {
      await lstat(source.linkPath);
      if (await exists(target.linkPath)) {
        throw new WorkspaceError(ErrorCode.AlreadyExists, `${target.rel} already exists`);
      }
      await this.#makeParents(target.linkPath);
      await rename(source.linkPath, target.linkPath);
      return this.#entry(target.rel, target.linkPath);
    });
  }

  /** Removes a file, a link (not its target) or a folder with everything in it. */
  async remove(relPath: string): Promise<void> {
    const located = await this.#locate(relPath);
    await this.#guard(located.rel, async () => {
      await lstat(located.linkPath);
      await rm(located.linkPath, { recursive: true });
    });
  }

  /** Opens a file for reading; the caller closes the handle. */
  async open(relPath: string): Promise<{ entry: FileEntry; handle: FileHandle }> {
    const located = await this.#locate(relPath);
    return this.#guard(located.rel, async () => {
      // O_NOFOLLOW: the real path was checked; a link swapped in since then is refused (ELOOP).
      const handle = await open(located.realPath, constants.O_RDONLY | constants.O_NOFOLLOW);
      try {
        const info = await handle.stat();
        if (!info.isFile()) throw new WorkspaceError(ErrorCode.NotAFile, `${located.rel} is not a file`);
        return { entry: toEntry(located.rel, 'file', info.size, info.mtimeMs), handle };
      } catch (error) {
        await handle.close();
        throw error;
      }
    });
  }

  /**
   * Where a replacing write of `relPath` goes: its real path, checked to be inside the workspace
   * and not a folder, with its parent folders created.
   */
  async writableFile(relPath: string): Promise<string> {
    const located = await this.#locate(relPath);
    return this.#guard(located.rel, async () => {
      const current = await lstat(located.realPath).catch(() => null);
      if (current && !current.isFile())
        throw new WorkspaceError(ErrorCode.NotAFile, `${located.rel} is not a file`);
      await mkdir(dirname(located.realPath), { recursive: true });
      return located.realPath;
    });
  }

  /** The real path of a live document's file (it may not exist yet), checked to be inside. */
  async documentFile(relPath: string): Promise<string> {
    return this.resolve(relPath);
  }

  #rootPath(): Promise<string> {
    // A failed lookup is not kept: the root may exist by the next call (long-lived instances).
    this.#realRoot ??= realpath(this.#root).catch((error: unknown) => {
      this.#realRoot = undefined;
      throw error;
    });
    return this.#realRoot;
  }

  async #locate(relPath: string): Promise<Located> {
    const rel = normalizeWorkspacePath(relPath);
    // The tree changes under us (a terminal swapping entries): a name that vanished between two
    // looks, or a link loop (ELOOP), is a named error like any other unusable path, never errno.
    return this.#resolve(rel).catch((error: unknown) => {
      throw toWorkspaceError(error, rel);
    });
  }

  async #resolve(rel: string): Promise<Located> {
    const root = await this.#rootPath();
    const outside = () =>
      new WorkspaceError(ErrorCode.PathOutsideWorkspace, `${rel} is outside the workspace`);
    const parent = await realpathOfExistingPrefix(dirname(join(root, rel)));
    if (!isInside(root, parent, true)) throw outside();
    const linkPath = join(parent, basename(rel));
    const info = await lstat(linkPath).catch(() => null);
    if (!info?.isSymbolicLink()) return { rel, linkPath, realPath: linkPath };
    // A dangling link resolves to where it points, so writing through it cannot escape either.
    const pointsTo = resolvePath(parent, await readlink(linkPath));
    const target = await realpathOfExistingPrefix(pointsTo).catch(() => null);
    if (!target || !isInside(root, target, false)) throw outside();
    return { rel, linkPath, realPath: target };
  }

  async #entry(rel: string, absolute: string): Promise<FileEntry> {
    const info = await lstat(absolute);
    const kind = info.isSymbolicLink() ? 'symlink' : info.isDirectory() ? 'directory' : 'file';
    return toEntry(rel, kind, info.size, info.mtimeMs);
  }

  /** mkdir -p for the parent. */
  async #makeParents(absolute: string): Promise<void> {
    await mkdir(dirname(absolute), { recursive: true });
  }

  async #guard<T>(rel: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw toWorkspaceError(error, rel);
    }
  }
}

function toEntry(rel: string, kind: FileEntry['kind'], size: number, mtimeMs: number): FileEntry {
  return { path: rel, name: basename(rel), kind, size, mtimeMs };
}

/** `candidate` is `root` itself (when allowed) or strictly below it; `root + sep` avoids `ws1` matching `ws10`. */
function isInside(root: string, candidate: string, allowRoot: boolean): boolean {
  if (candidate === root) return allowRoot;
  return candidate.startsWith(root.endsWith(sep) ? root : root + sep);
}

/** Links followed while resolving one path, as the kernel allows (its MAXSYMLINKS is 40). */
const MAX_LINKS = 40;

/**
 * realpath of the longest existing prefix, with the missing tail appended. A dangling link is
 * not a missing name: it is followed to where it points (which may be outside, e.g. a folder
 * swapped for a link to a host path that does not exist in the Studio), so the tail appended
 * really holds no links.
 */
async function realpathOfExistingPrefix(absolute: string, links = 0): Promise<string> {
  try {
    return await realpath(absolute);
  } catch (error) {
    if (!isMissing(error)) throw error;
    const pointsTo = await readlink(absolute).catch(() => undefined);
    if (pointsTo !== undefined) {
      if (links >= MAX_LINKS) throw Object.assign(new Error('too many links'), { code: 'ELOOP' });
      // Relative to the folder the link really is in (the way there may pass through links).
      const folder = await realpath(dirname(absolute));
      return realpathOfExistingPrefix(resolvePath(folder, pointsTo), links + 1);
    }
    const parent = dirname(absolute);
    if (parent === absolute) throw error;
    return join(await realpathOfExistingPrefix(parent, links), relative(parent, absolute));
  }
}

async function exists(absolute: string): Promise<boolean> {
  return lstat(absolute).then(
    () => true,
    () => false,
  );
}

/** Directories before files at every level, each level by name; parents before children. */
function sortAsTree(entries: FileEntry[]): FileEntry[] {
  const children = new Map<string, FileEntry[]>();
  for (const entry of entries) {
    const parent = entry.path.includes('/') ? entry.path.slice(0, entry.path.lastIndexOf('/')) : '';
    const list = children.get(parent) ?? [];
    list.push(entry);
    children.set(parent, list);
  }
  const sorted: FileEntry[] = [];
  const visit = (folder: string) => {
    const list = (children.get(folder) ?? []).sort((a, b) => {
      const aDir = a.kind === 'directory' ? 0 : 1;
      const bDir = b.kind === 'directory' ? 0 : 1;
      return aDir - bDir || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
    });
    for (const entry of list) {
      sorted.push(entry);
      if (entry.kind === 'directory') visit(entry.path);
    }
  };
  visit('');
  return sorted;
}
