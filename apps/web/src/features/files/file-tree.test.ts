import type { FileEntry } from '@studios/protocol';
import { describe, expect, it } from 'vitest';
import { applyFileChanges, validateFileName, visibleRows } from './file-tree';

const file = (path: string): FileEntry => ({
  path,
  name: path.split('/').pop() ?? path,
  kind: 'file',
  size: 1,
  mtimeMs: 0,
});
const dir = (path: string): FileEntry => ({ ...file(path), kind: 'directory', size: 0 });

const tree = [dir('src'), file('src/b.ts'), file('src/A.ts'), dir('src/lib'), file('README.md'), dir('docs')];

describe('visibleRows', () => {
  it('shows only top level when nothing is expanded, directories first', () => {
    expect(visibleRows(tree, new Set()).map((row) => row.entry.path)).toEqual(['docs', 'src', 'README.md']);
  });

  it('nests expanded directories with depth', () => {
    const rows = visibleRows(tree, new Set(['src']));
    expect(rows.map((row) => [row.entry.path, row.depth])).toEqual([
      ['docs', 0],
      ['src', 0],
      ['src/lib', 1],
      ['src/A.ts', 1],
      ['src/b.ts', 1],
      ['README.md', 0],
    ]);
    expect(rows.find((row) => row.entry.path === 'src')?.expanded).toBe(true);
    expect(rows.find((row) => row.entry.path === 'docs')?.hasChildren).toBe(false);
  });
});

describe('applyFileChanges', () => {
  it('adds, changes and removes (recursively)', () => {
    const next = applyFileChanges(tree, [
      { kind: 'added', path: 'docs/intro.md', entry: file('docs/intro.md') },
      { kind: 'changed', path: 'README.md', entry: { ...file('README.md'), size: 99 } },
      { kind: 'removed', path: 'src' },
    ]);
    expect(next.map((entry) => entry.path)).toEqual(['docs', 'docs/intro.md', 'README.md']);
    expect(next.find((entry) => entry.path === 'README.md')?.size).toBe(99);
  });

  it('does not remove siblings that share a prefix', () => {
    const next = applyFileChanges([dir('ws1'), dir('ws10')], [{ kind: 'removed', path: 'ws1' }]);
    expect(next.map((entry) => entry.path)).toEqual(['ws10']);
  });
});

describe('names', () => {
  it('validates new names', () => {
    expect(validateFileName('ok.ts', new Set())).toBeNull();
    expect(validateFileName('', new Set())).toBe('Enter a name');
    expect(validateFileName('a/b', new Set())).toBe('A name cannot contain / or \\');
    expect(validateFileName('..', new Set())).toBe('That name is reserved');
    expect(validateFileName('x', new Set(['x']))).toBe('“x” already exists here');
  });
});
