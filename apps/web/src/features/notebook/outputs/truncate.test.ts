import { describe, expect, it } from 'vitest';
import { truncateText } from './truncate';

describe('truncateText', () => {
  it('keeps short text whole', () => {
    expect(truncateText('a\nb\n')).toEqual({
      text: 'a\nb\n',
      truncated: false,
      hiddenLines: 0,
      hiddenChars: 0,
    });
  });

  it('cuts after the line limit and counts what is hidden', () => {
    const text = Array.from({ length: 10 }, (_, i) => `line ${i}\n`).join('');
    const result = truncateText(text, { maxLines: 4, maxChars: 1_000 });
    expect(result.text).toBe('line 0\nline 1\nline 2\nline 3\n');
    expect(result).toMatchObject({ truncated: true, hiddenLines: 6 });
  });

  it('cuts at the last line end within the character limit, or mid-line when there is none', () => {
    expect(truncateText('aaaa\nbbbb\ncccc', { maxLines: 100, maxChars: 8 }).text).toBe('aaaa\n');
    const long = truncateText('x'.repeat(300_000));
    expect(long.text.length).toBe(200_000);
    expect(long.hiddenChars).toBe(100_000);
  });
});
