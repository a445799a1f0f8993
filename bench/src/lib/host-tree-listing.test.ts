import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tempDirs } from '@studios/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { entryCount, writeFileTree } from './file-tree-fixture';
import { listTreeOnHost, sortAsTree } from './host-tree-listing';

const temps = tempDirs();
let root = '';
beforeEach(() => {
  root = temps.make('studios-bench-listing-');
});
afterEach(() => temps.cleanup());

describe('listTreeOnHost', () => {
  it('lists every entry with its kind, folders first at every level, parents before children', async () => {
    await mkdir(join(root, 'b/inner'), { recursive: true });
    await writeFile(join(root, 'a.txt'), 'hello');
    await writeFile(join(root, 'b/z.txt'), '');
    await writeFile(join(root, 'b/inner/deep.txt'), '');
    await symlink('a.txt', join(root, 'link'));
    // An atomic write in flight is not an entry, as in the agent's listing.
    await writeFile(join(root, '.a.txt.studios-0123456789ab.tmp'), '');
    const { entries, truncated } = await listTreeOnHost(root, 100);
    expect(truncated).toBe(false);
    expect(entries.map((entry) => `${entry.kind}:${entry.path}`)).toEqual([
      'directory:b',
      'directory:b/inner',
      'file:b/inner/deep.txt',
      'file:b/z.txt',
      'file:a.txt',
      'symlink:link',
    ]);
    expect(entries.find((entry) => entry.path === 'a.txt')).toMatchObject({ name: 'a.txt', size: 5 });
  });

  it('stops at the limit breadth first, so the top of the tree is kept', async () => {
    await writeFileTree(root, { folders: 3, filesPerFolder: 4 });
    const { entries, truncated } = await listTreeOnHost(root, 5);
    expect(truncated).toBe(true);
    expect(entries).toHaveLength(5);
    expect(entries.filter((entry) => entry.kind === 'directory')).toHaveLength(3);
  });
});

describe('writeFileTree', () => {
  it('makes folders × files entries, each file naming itself', async () => {
    const shape = { folders: 4, filesPerFolder: 3 };
    expect(await writeFileTree(root, shape)).toBe(entryCount(shape));
    const { entries } = await listTreeOnHost(root, 100);
    expect(entries).toHaveLength(16);
    expect(entries[0]?.path).toBe('dir-000');
    expect(entries[1]?.path).toBe('dir-000/file-000.txt');
  });
});

describe('sortAsTree', () => {
  it('orders by name within a level, case-sensitively like the agent', () => {
    const entry = (path: string, kind: 'file' | 'directory') => ({
      path,
      name: path.split('/').pop() ?? path,
      kind,
    });
    const sorted = sortAsTree([
      entry('b', 'file'),
      entry('B', 'file'),
      entry('x', 'directory'),
      entry('x/a', 'file'),
    ]);
    expect(sorted.map((item) => item.path)).toEqual(['x', 'x/a', 'B', 'b']);
  });
});
