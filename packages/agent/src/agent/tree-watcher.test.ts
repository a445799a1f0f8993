import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tempDirs, waitFor } from '@studios/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { writeFileAtomic } from './file-io';
import { type FileTreeChange, TreeWatcher } from './tree-watcher';

const dirs = tempDirs();
const watchers: TreeWatcher[] = [];
afterEach(async () => {
  for (const watcher of watchers.splice(0)) watcher.dispose();
  dirs.cleanup();
});

async function watchedRoot() {
  const root = dirs.make('watch-');
  await writeFile(join(root, 'existing.txt'), 'x');
  const watcher = await TreeWatcher.start(root, { debounceMs: 50 });
  watchers.push(watcher);
  const batches: FileTreeChange[][] = [];
  watcher.onChanges((changes) => batches.push(changes));
  const seen = () => batches.flat().map((change) => `${change.kind}:${change.path}`);
  return { root, batches, seen };
}

describe('TreeWatcher (one fs.watch per folder)', () => {
  it('reports files and nested folders added, changed and removed, in batches', async () => {
    const { root, batches, seen } = await watchedRoot();
    await mkdir(join(root, 'a', 'b'), { recursive: true });
    await writeFile(join(root, 'a', 'b', 'deep.txt'), 'deep');
    await waitFor(() => seen().includes('added:a/b/deep.txt'));
    expect(seen()).toContain('added:a');

    await writeFile(join(root, 'existing.txt'), 'changed');
    await waitFor(() => seen().includes('changed:existing.txt'));

    await rename(join(root, 'a'), join(root, 'z'));
    await waitFor(() => seen().includes('removed:a') && seen().includes('added:z'));
    await rm(join(root, 'existing.txt'));
    await waitFor(() => seen().includes('removed:existing.txt'));
    expect(batches.every((batch) => batch.length > 0)).toBe(true);
  });

  it('ignores the temp files of atomic writes', async () => {
    const { root, seen } = await watchedRoot();
    await writeFileAtomic(join(root, 'saved.txt'), Buffer.from('content'));
    await waitFor(() => seen().includes('added:saved.txt'));
    expect(seen().filter((entry) => entry.includes('.tmp'))).toEqual([]);
  });

  it('reports a folder moved in with its content, and stops watching folders that went away', async () => {
    const outside = dirs.make('outside-');
    await mkdir(join(outside, 'pkg', 'src'), { recursive: true });
    await writeFile(join(outside, 'pkg', 'src', 'index.ts'), 'export {};');
    const { root, seen } = await watchedRoot();
    const watcher = watchers[watchers.length - 1] as TreeWatcher;
    expect(watcher.watchedFolders).toBe(1);

    await rename(join(outside, 'pkg'), join(root, 'pkg'));
    await waitFor(() => seen().includes('added:pkg/src/index.ts'));
    expect(seen()).toEqual(expect.arrayContaining(['added:pkg', 'added:pkg/src']));
    expect(watcher.watchedFolders).toBe(3);
    // The nested folder is watched now: a change inside it is reported.
    await writeFile(join(root, 'pkg', 'src', 'more.ts'), 'x');
    await waitFor(() => seen().includes('added:pkg/src/more.ts'));

    await rm(join(root, 'pkg'), { recursive: true });
    await waitFor(() => seen().includes('removed:pkg'));
    expect(watcher.watchedFolders).toBe(1);
  });
});
