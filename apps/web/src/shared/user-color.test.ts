import { describe, expect, it } from 'vitest';
import { colorForUser, hashString, translucent, USER_COLORS } from './user-color';

describe('colorForUser', () => {
  it('is stable for an id and picks from the palette', () => {
    expect(colorForUser('user-1')).toBe(colorForUser('user-1'));
    expect(USER_COLORS).toContain(colorForUser('user-1'));
  });

  it('spreads ids across the palette', () => {
    const colors = new Set(Array.from({ length: 200 }, (_, index) => colorForUser(`u${index}`)));
    expect(colors.size).toBe(USER_COLORS.length);
  });

  it('hashes with FNV-1a', () => {
    expect(hashString('')).toBe(0x811c9dc5);
    expect(hashString('a')).toBe(0xe40c292c);
  });
});

describe('translucent', () => {
  it('appends an alpha byte', () => {
    expect(translucent('#0090ff', 0.25)).toBe('#0090ff40');
    expect(translucent('#0090ff', 2)).toBe('#0090ffff');
  });
});
