import { createHash } from 'node:crypto';
import { type Stats, watch } from 'node:fs';
import { lstat, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Disposable } from '@studios/base';
import type { DocumentFiles, FileStamp } from '../disk/document-files';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function stampOf(info: Stats): FileStamp {
  return {
    ino: info.ino,
    mtimeMs: info.mtimeMs,
    size: info.size,
    mode: info.mode,
    uid: info.uid,
    gid: info.gid,
  };
}

/**
 * The collab package's tests stand-in for a Studio's agent: the same `DocumentFiles` contract
 * on a plain folder of this machine, in-process. It tests the collab logic (merges, saves,
 * durability); the agent itself, and collab through it, are tested in @studios/agent and the
 * server with the real agent process.
 */
export function folderDocumentFiles(root: string): DocumentFiles {
  const at = (path: string) => join(root, path);
  const stampOrNull = (path: string) => stat(at(path)).then(stampOf, () => null);
  return {
    async readDocument(path, maxBytes) {
      const info = await stat(at(path)).catch(() => null);
      if (!info) return { file: { kind: 'missing' } };
      if (!info.isFile()) return { file: { kind: 'not-a-file' } };
      // The agent's wording, which clients see as the close reason.
      if (info.size > maxBytes)
        return { file: { kind: 'unsupported', reason: `file larger than ${sizeText(maxBytes)}` } };
      const bytes = await readFile(at(path));
      let text: string;
      try {
        if (bytes.includes(0)) throw new Error('NUL');
        text = strictUtf8.decode(bytes);
      } catch {
        return { file: { kind: 'unsupported', reason: 'binary file' } };
      }
      const hash = createHash('sha256').update(bytes).digest('hex');
      return { file: { kind: 'text', hash, stamp: stampOf(info) }, text };
    },
    documentStamp: stampOrNull,
    async writeDocument(path, text, existing) {
      const target = at(path);
      const mode = existing ? existing.mode & 0o7777 : 0o644;
      const temp = `${target}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
      await mkdir(dirname(target), { recursive: true });
      await writeFile(temp, text, { mode });
      await rename(temp, target);
      return stampOf(await stat(target));
    },
    async removeIfSame(path, ino) {
      const info = await lstat(at(path)).catch(() => null);
      if (info?.ino !== ino) return false;
      await rm(at(path), { force: true });
      return true;
    },
  };
}

function sizeText(bytes: number): string {
  if (bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MB`;
  return bytes % 1024 === 0 ? `${bytes / 1024} KB` : `${bytes} bytes`;
}

/** Tells `onPaths` which workspace paths changed under `root` (what the agent's tree watch reports). */
export function watchFolder(root: string, onPaths: (paths: string[]) => void): Disposable {
  const watcher = watch(root, { recursive: true, persistent: false }, (_event, name) => {
    if (name) onPaths([name.toString()]);
  });
  watcher.on('error', () => {});
  return { dispose: () => watcher.close() };
}
