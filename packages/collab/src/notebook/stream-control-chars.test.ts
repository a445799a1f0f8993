import { describe, expect, it } from 'vitest';
import { applyStreamControlChars } from './stream-control-chars';

describe('stream control characters', () => {
  it('overwrites a line after a carriage return, as a progress bar expects', () => {
    expect(applyStreamControlChars('10%\r20%\r30%')).toBe('30%');
    expect(applyStreamControlChars('loading...\rdone')).toBe('doneing...');
    expect(applyStreamControlChars('a\r\nb')).toBe('a\nb');
  });

  it('keeps a trailing carriage return for the next chunk', () => {
    const first = applyStreamControlChars('50%\r');
    expect(first).toBe('50%\r');
    expect(applyStreamControlChars(`${first}99%`)).toBe('99%');
  });

  it('removes the character before a backspace', () => {
    expect(applyStreamControlChars('abc\b\bd')).toBe('ad');
    expect(applyStreamControlChars('\bx')).toBe('x');
  });
});
