import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expandPath } from './user-path';

describe('expandPath', () => {
  it('expands ~ from the given home and resolves the rest against the cwd', () => {
    expect(expandPath('~/.ssh/id_ed25519.pub', '/home/ada')).toBe('/home/ada/.ssh/id_ed25519.pub');
    expect(expandPath('~', '/home/ada')).toBe('/home/ada');
    expect(expandPath('keys/a.pub', '/home/ada')).toBe(join(process.cwd(), 'keys/a.pub'));
    expect(expandPath('~bob/a.pub', '/home/ada')).toBe(join(process.cwd(), '~bob/a.pub'));
  });
});
