const ESC = '\u001b';
const BEL = '\u0007';
/** CSI (colours, modes), OSC (titles) terminated by BEL or ST, charset and keypad selections. */
const ESCAPE_SEQUENCES = new RegExp(
  [
    `${ESC}\\[[0-9;?]*[ -/]*[@-~]`,
    `${ESC}\\][^${BEL}${ESC}]*(?:${BEL}|${ESC}\\\\)`,
    `${ESC}[()][0-9A-Za-z]`,
    `${ESC}[=>]`,
  ].join('|'),
  'g',
);

/** Terminal output without CSI/OSC escape sequences (colours, titles, bracketed-paste toggles). */
export function stripEscapes(text: string): string {
  return text.replace(ESCAPE_SEQUENCES, '');
}

/**
 * True when the output ends in a shell prompt (`…$ ` or `…# `): what a user waits for before
 * typing. Escape sequences printed after the prompt text are ignored.
 */
export function endsWithPrompt(text: string): boolean {
  return /[$#] $/.test(stripEscapes(text));
}
