import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tempDirs, waitFor } from '@studios/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { DirectoryWatchers } from './directory-watchers';

const dirs = tempDirs();
const owned: DirectoryWatchers[] = [];
afterEach(async () => {
  for (const watchers of owned.splice(0)) watchers.dispose();
  dirs.cleanup();
});

function watchers(): DirectoryWatchers {
  const created = new DirectoryWatchers();
  owned.push(created);
  return created;
}

describe('DirectoryWatchers', () => {
  it('shares one folder watcher between files and calls only the changed file’s listeners', async () => {
    const root = dirs.make('dirwatch-');
    const shared = watchers();
    const calls = { a: 0, b: 0 };
    const a = shared.watch(join(root, 'a.txt'), () => calls.a++);
    const b = shared.watch(join(root, 'b.txt'), () => calls.b++);
    expect(shared.size).toBe(1);

    await writeFile(join(root, 'a.txt'), 'x');
    await waitFor(() => calls.a > 0);
    expect(calls.b).toBe(0);

    a.dispose();
    expect(shared.size).toBe(1);
    b.dispose();
    expect(shared.size).toBe(0);
  });

  it('treats a missing folder as nothing to watch', async () => {
    const root = dirs.make('dirwatch-');
    const shared = watchers();
    const handle = shared.watch(join(root, 'missing', 'a.txt'), () => {});
    expect(shared.size).toBe(0);
    handle.dispose();
  });
});
