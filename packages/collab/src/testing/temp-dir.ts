import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fresh temp folder per test; `cleanup()` in afterEach removes all of them. */
export function tempDirs() {
  const created: string[] = [];
  return {
    async make(prefix = 'collab-'): Promise<string> {
      const dir = await mkdtemp(join(tmpdir(), prefix));
      created.push(dir);
      return dir;
    },
    async cleanup(): Promise<void> {
      await Promise.all(created.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
    },
  };
}
