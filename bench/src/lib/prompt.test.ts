import { describe, expect, it } from 'vitest';
import { endsWithPrompt, stripEscapes } from './prompt';

describe('endsWithPrompt', () => {
  it('sees a bash prompt behind title and bracketed-paste sequences', () => {
    expect(endsWithPrompt('\x1b]0;studio@studio: /workspace\x07studio@studio:/workspace$ \x1b[?2004h')).toBe(
      true,
    );
    expect(endsWithPrompt('root@studio:/# ')).toBe(true);
  });

  it('does not take output that merely contains a dollar for a prompt', () => {
    expect(endsWithPrompt('price: 5$ and more\r\n')).toBe(false);
    expect(endsWithPrompt('y\r\ny\r\n')).toBe(false);
  });
});

describe('stripEscapes', () => {
  it('removes colours and keeps the text', () => {
    expect(stripEscapes('\x1b[01;32mgreen\x1b[0m')).toBe('green');
  });
});
