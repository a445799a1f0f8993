import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir, tempDirs } from './temp-dir';

describe('tempDir', () => {
  it('makes an empty, prefixed folder that cleanup removes with its contents', () => {
    const temp = tempDir('testkit-');
    expect(basename(temp.dir)).toMatch(/^testkit-/);
    expect(readdirSync(temp.dir)).toEqual([]);
    writeFileSync(join(temp.dir, 'file.txt'), 'x');
    temp.cleanup();
    expect(existsSync(temp.dir)).toBe(false);
    expect(() => temp.cleanup()).not.toThrow();
  });
});

describe('tempDirs', () => {
  it('makes one folder per call and cleanup removes them all', () => {
    const dirs = tempDirs();
    const [a, b] = [dirs.make('testkit-a-'), dirs.make()];
    expect(basename(a)).toMatch(/^testkit-a-/);
    expect(a).not.toBe(b);
    dirs.cleanup();
    expect(existsSync(a) || existsSync(b)).toBe(false);
  });
});
