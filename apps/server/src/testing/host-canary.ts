import { lstatSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '@studios/testkit';

/** Content of the host canary file; must never reach a response or a document. */
export const CANARY_SECRET = 'host-canary-secret-4d91e2';

/** Everything that would show that anyone read-through-wrote, created, removed or chowned in it. */
export interface CanarySnapshot {
  [relPath: string]: {
    kind: string;
    size: number;
    mtimeMs: number;
    uid: number;
    gid: number;
    mode: number;
    content?: string;
  };
}

/**
 * A folder on the host, outside every workspace, holding `canary.txt` (CANARY_SECRET) and a
 * subfolder: what a Studio user would aim links at to reach the host.
 */
export function hostCanary(): { dir: string; snapshot(): CanarySnapshot; cleanup(): void } {
  const temp = tempDir('studios-canary-');
  writeFileSync(join(temp.dir, 'canary.txt'), CANARY_SECRET, { mode: 0o644 });
  mkdirSync(join(temp.dir, 'sub'));
  writeFileSync(join(temp.dir, 'sub', 'inner.txt'), `${CANARY_SECRET} inner`);
  const snapshot = (): CanarySnapshot => {
    const seen: CanarySnapshot = {};
    const visit = (rel: string) => {
      const info = lstatSync(join(temp.dir, rel));
      seen[rel || '.'] = {
        kind: info.isDirectory() ? 'directory' : info.isSymbolicLink() ? 'symlink' : 'file',
        size: info.size,
        mtimeMs: info.mtimeMs,
        uid: info.uid,
        gid: info.gid,
        mode: info.mode,
        ...(info.isFile() ? { content: readFileSync(join(temp.dir, rel), 'utf8') } : {}),
      };
      if (info.isDirectory())
        for (const name of readdirSync(join(temp.dir, rel)).sort()) visit(join(rel, name));
    };
    visit('');
    return seen;
  };
  return { dir: temp.dir, snapshot, cleanup: temp.cleanup };
}
