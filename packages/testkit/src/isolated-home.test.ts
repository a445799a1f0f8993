import { existsSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isolatedHome, removeIsolatedHomes } from './isolated-home';

describe('isolatedHome', () => {
  it('gives an empty folder per call and removes them all', () => {
    const [a, b] = [isolatedHome(), isolatedHome()];
    expect(a).not.toBe(b);
    expect(readdirSync(a)).toEqual([]);
    removeIsolatedHomes();
    expect(existsSync(a) || existsSync(b)).toBe(false);
  });
});
