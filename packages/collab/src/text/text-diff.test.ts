import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../testing/seeded-random';
import { applyTextEdits, diffText } from './text-diff';

describe('diffText', () => {
  it('returns no edits for equal texts', () => {
    expect(diffText('same\n', 'same\n')).toEqual([]);
  });

  it('keeps a change near the top minimal', () => {
    const before = 'line 1\nline 2\nline 3\n';
    const after = 'line one\nline 2\nline 3\n';
    const edits = diffText(before, after);
    expect(applyTextEdits(before, edits)).toBe(after);
    const touched = edits.reduce((sum, e) => sum + e.deleteLength + e.insert.length, 0);
    expect(touched).toBeLessThanOrEqual(4);
  });

  it('never splits a surrogate pair', () => {
    const before = 'a😀b';
    const after = 'a😃b';
    const edits = diffText(before, after);
    expect(applyTextEdits(before, edits)).toBe(after);
    for (const edit of edits) {
      expect(edit.insert).not.toMatch(/^[\udc00-\udfff]|[\ud800-\udbff]$/);
    }
  });

  it('turns random texts into each other (seeded)', () => {
    const random = mulberry32(42);
    const alphabet = ['a', 'b', '\n', ' ', 'é', '😀', 'x\n'];
    const randomText = () =>
      Array.from(
        { length: Math.floor(random() * 200) },
        () => alphabet[Math.floor(random() * alphabet.length)],
      ).join('');
    for (let i = 0; i < 300; i++) {
      const before = randomText();
      const after = random() < 0.5 ? randomText() : mutate(before, random);
      expect(applyTextEdits(before, diffText(before, after))).toBe(after);
    }
  });

  it('falls back to a coarse replacement for a rewrite of a large file', () => {
    const before = Array.from({ length: 20000 }, (_, i) => `old ${i}\n`).join('');
    const after = Array.from({ length: 20000 }, (_, i) => `new ${i}\n`).join('');
    expect(applyTextEdits(before, diffText(before, after))).toBe(after);
  });
});

function mutate(text: string, random: () => number): string {
  const points = Array.from(text);
  for (let i = 0; i < 5; i++) {
    const at = Math.floor(random() * (points.length + 1));
    if (random() < 0.5) points.splice(at, Math.floor(random() * 5));
    else points.splice(at, 0, 'ins\n');
  }
  return points.join('');
}
